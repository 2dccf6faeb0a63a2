//go:build tools

// Package tools pins the test-only programs that make test builds: the
// Mailpit SMTP server used by the end-to-end tests.
package tools

import _ "github.com/axllent/mailpit"
