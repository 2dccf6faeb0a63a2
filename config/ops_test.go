package config

import (
	"strings"
	"testing"
	"time"
)

func TestParseRate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Rate
		err  bool
	}{
		{"", Rate{}, false},
		{"30/min", Rate{30, time.Minute}, false},
		{" 5 / s ", Rate{5, time.Second}, false},
		{"1000/h", Rate{1000, time.Hour}, false},
		{"0/s", Rate{}, true},
		{"-3/s", Rate{}, true},
		{"30", Rate{}, true},
		{"30/day", Rate{}, true},
		{"many/min", Rate{}, true},
	} {
		got, err := ParseRate(tc.in)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("ParseRate(%q) = %v, %v; want %v, error %v", tc.in, got, err, tc.want, tc.err)
		}
		if err == nil && tc.in != "" {
			back, _ := ParseRate(got.String())
			if back != got {
				t.Errorf("%q does not round-trip: %q", tc.in, got.String())
			}
		}
	}
}

func TestOpsKeys(t *testing.T) {
	c, err := Load(writeFile(t, "[metrics]\nlisten = \":9464\"\n[smtp]\nrate = \"30/min\"\nconnections = 4\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Metrics.Listen != "127.0.0.1:9464" || c.SMTP.Rate != (Rate{30, time.Minute}) || c.SMTP.Connections != 4 {
		t.Errorf("metrics.listen %q, smtp.rate %v, smtp.connections %d", c.Metrics.Listen, c.SMTP.Rate, c.SMTP.Connections)
	}
	for body, key := range map[string]string{
		"[metrics]\nlisten = \"9464\"\n":    "metrics.listen",
		"[metrics]\nlisten = \"x:99999\"\n": "metrics.listen",
		"[smtp]\nconnections = 0\n":         "smtp.connections",
		"[smtp]\nconnections = 17\n":        "smtp.connections",
		"[smtp]\nrate = \"fast\"\n":         `config.toml:2: invalid rate "fast"`,
	} {
		_, err := Load(writeFile(t, body))
		if err == nil || !strings.Contains(err.Error(), key) {
			t.Errorf("%q: error %v, want one naming %s", body, err, key)
		}
	}
}
