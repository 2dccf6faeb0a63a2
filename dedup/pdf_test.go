package dedup

import (
	"context"
	"testing"

	"github.com/echeance/echeance/document"
)

func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	b, _, err := document.Reader{}.Text(context.Background(), "seed.pdf", "", pdf)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
