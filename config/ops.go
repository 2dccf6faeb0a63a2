package config

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// Metrics is the daemon's Prometheus endpoint.
type Metrics struct {
	// Listen is the address /metrics is served on; "" turns it off. An
	// address without a host (":9464") listens on localhost only.
	Listen string `toml:"listen"`
}

// Rate is a sending pace written as "30/min", "5/s" or "1000/h"; the zero
// Rate (written "") sets no limit.
type Rate struct {
	// N messages at most in any window of Per.
	N   int
	Per time.Duration
}

// ParseRate reads "N/s", "N/min" or "N/h" ("" is no limit).
func ParseRate(s string) (Rate, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Rate{}, nil
	}
	num, unit, ok := strings.Cut(s, "/")
	n, err := strconv.Atoi(strings.TrimSpace(num))
	if !ok || err != nil || n < 1 {
		return Rate{}, fmt.Errorf("invalid rate %q: want a number of messages per s, min or h, such as \"30/min\"", s)
	}
	per := map[string]time.Duration{"s": time.Second, "sec": time.Second, "second": time.Second,
		"min": time.Minute, "minute": time.Minute, "h": time.Hour, "hour": time.Hour}[strings.TrimSpace(unit)]
	if per == 0 {
		return Rate{}, fmt.Errorf("invalid rate %q: the unit must be s, min or h", s)
	}
	return Rate{N: n, Per: per}, nil
}

// UnmarshalText parses "30/min".
func (r *Rate) UnmarshalText(b []byte) error {
	v, err := ParseRate(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// MarshalText writes the rate back as "30/min".
func (r Rate) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

func (r Rate) String() string {
	if r.N == 0 {
		return ""
	}
	unit := map[time.Duration]string{time.Second: "s", time.Minute: "min", time.Hour: "h"}[r.Per]
	return strconv.Itoa(r.N) + "/" + unit
}

// MaxConnections bounds smtp.connections: relays count connections too.
const MaxConnections = 16

// validateOps checks the keys that operations add: metrics.listen and the
// SMTP pace. An address without a host becomes a localhost one.
func (c *Config) validateOps(bad func(key, format string, args ...any)) {
	if l := c.Metrics.Listen; l != "" {
		host, port, err := net.SplitHostPort(l)
		if p, perr := strconv.Atoi(port); err != nil || perr != nil || p < 1 || p > 65535 {
			bad("metrics.listen", "want host:port or :port, not %q", l)
		} else if host == "" {
			c.Metrics.Listen = net.JoinHostPort("127.0.0.1", port)
		}
	}
	if c.SMTP.Connections < 1 || c.SMTP.Connections > MaxConnections {
		bad("smtp.connections", "must be between 1 and %d", MaxConnections)
	}
}
