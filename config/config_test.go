package config

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

func writeFile(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDefaults(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if c.Database.Path != "echeance.db" || c.Offers.Inbox != "seeds" || c.Mail.Transport != "dir" || c.Mail.Dir != "outbox" {
		t.Errorf("defaults = %+v", c)
	}
	if c.Schedule.Location == nil || c.Schedule.Location.String() != "Europe/Paris" {
		t.Errorf("location = %v", c.Schedule.Location)
	}
	if got, want := c.Reminders.Offsets, []Days{7, 2, 0}; !reflect.DeepEqual(got, want) {
		t.Errorf("offsets = %v, want %v", got, want)
	}
	if h, m := c.Reminders.SendClock(); h != 8 || m != 0 {
		t.Errorf("send clock = %d:%d", h, m)
	}
}

// TestExample loads config.example.toml and checks it documents every key
// the embedded defaults set, with the same values.
func TestExample(t *testing.T) {
	path := filepath.Join("..", "config.example.toml")
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	want, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("example differs from defaults:\n got %+v\nwant %+v", got, want)
	}
	keys := func(src string) []string {
		var v map[string]any
		md, err := toml.Decode(src, &v)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, k := range md.Keys() {
			out = append(out, k.String())
		}
		sort.Strings(out)
		return out
	}
	example, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if g, w := keys(string(example)), keys(defaultsTOML); !reflect.DeepEqual(g, w) {
		t.Errorf("example keys %v\n   default keys %v", g, w)
	}

	// Arrays of tables have no defaults: the example documents them in
	// comments, which must decode and list every key of their struct.
	var commented strings.Builder
	in := false
	for _, line := range strings.Split(string(example), "\n") {
		switch {
		case strings.HasPrefix(line, "# [["):
			in = true
		case !strings.HasPrefix(line, "# ") || strings.HasPrefix(line, "# #"):
			if !strings.HasPrefix(line, "# #") {
				in = false
			}
			continue
		}
		if in {
			commented.WriteString(strings.TrimPrefix(line, "# ") + "\n")
		}
	}
	listed := map[string]bool{}
	for _, k := range keys(commented.String()) {
		listed[k] = true
	}
	for section, v := range map[string]any{"sources.imap": IMAP{}, "sources.feed": Feed{}} {
		typ := reflect.TypeOf(v)
		for i := range typ.NumField() {
			tag := typ.Field(i).Tag.Get("toml")
			if tag != "" && tag != "-" && !listed[section+"."+tag] {
				t.Errorf("config.example.toml does not document %s.%s", section, tag)
			}
		}
	}
	var c Config
	md, err := toml.Decode(commented.String(), &c)
	if err != nil || len(md.Undecoded()) > 0 || len(c.Sources.IMAP) != 1 || len(c.Sources.Feed) != 1 {
		t.Errorf("the commented sources do not decode: %v, undecoded %v\n%s", err, md.Undecoded(), commented.String())
	}
}

func TestLoadOverrides(t *testing.T) {
	pw := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(pw, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	p := writeFile(t, fmt.Sprintf(`
[mail]
transport = "smtp"
[smtp]
host = "mail.example.org"
port = 465
security = "tls"
username = "bot"
password_file = %q
[schedule]
timezone = "America/Montreal"
reminders = "CRON_TZ=Europe/Paris 0 7 * * *"
[reminders]
offsets = ["3d"]
`, pw))
	c, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if c.SMTP.Password != "s3cret" {
		t.Errorf("password = %q", c.SMTP.Password)
	}
	if !reflect.DeepEqual(c.Reminders.Offsets, []Days{3}) {
		t.Errorf("offsets = %v, want the file's list to replace the default", c.Reminders.Offsets)
	}
	if c.Schedule.Location.String() != "America/Montreal" {
		t.Errorf("location = %v", c.Schedule.Location)
	}
	if strings.Contains(c.Redacted(), "s3cret") {
		t.Errorf("Redacted leaks the password:\n%s", c.Redacted())
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []string
	}{
		{"unknown key with line", "[smtp]\nhost = \"x\"\nhots = \"y\"\n", []string{`:3: unknown key "smtp.hots"`}},
		{"unknown section", "\n[smpt]\nhost = \"x\"\n", []string{`:2: unknown key "smpt"`}},
		{"syntax", "[smtp]\nport = = 3\n", []string{"config.toml:2:"}},
		{"bad cron", "[schedule]\nreminders = \"every day\"\n", []string{`schedule.reminders: invalid cron spec "every day"`}},
		{"bad zone", "[schedule]\ntimezone = \"Europe/Pariss\"\n", []string{`schedule.timezone: unknown time zone "Europe/Pariss"`}},
		{"bad transport", "[mail]\ntransport = \"pigeon\"\n", []string{"mail.transport:"}},
		{"bad offset", "[reminders]\noffsets = [\"-3d\"]\n", []string{`invalid offset "-3d"`}},
		{"big offset", "[reminders]\noffsets = [\"400d\"]\n", []string{`invalid offset "400d"`}},
		{"bad send time", "[reminders]\nsend_time = \"8h\"\n", []string{"reminders.send_time:"}},
		{"bad weekly day", "[reminders]\nweekly_day = \"someday\"\n", []string{`reminders.weekly_day: want a day such as "monday"`}},
		{"bad from", "[mail]\nfrom = \"not an address\"\n", []string{"mail.from:"}},
		{"smtp all wrong", "[mail]\ntransport = \"smtp\"\n[smtp]\nhost = \"\"\nport = 0\nsecurity = \"ssl\"\nusername = \"u\"\n",
			[]string{"smtp.host:", "smtp.port:", "smtp.security:", "smtp.password_file: required"}},
		{"listen port out of range", "[web]\nlisten = \"nohost:99999\"\n", []string{`web.listen: "nohost:99999": the port must be a number from 1 to 65535`}},
		{"listen without port", "[web]\nlisten = \"localhost\"\n", []string{`web.listen: want host:port, not "localhost"`}},
		{"listen bad host", "[web]\nlisten = \"bad host!:8080\"\n", []string{`web.listen:`, `neither an IP address nor a host name`}},
		{"admin_listen without port", "[web]\nadmin_listen = \"localhost\"\n", []string{`web.admin_listen: want host:port, not "localhost"`}},
		{"admin_listen is listen", "[web]\nlisten = \"127.0.0.1:8080\"\nadmin_listen = \"127.0.0.1:8080\"\n", []string{`web.admin_listen: "127.0.0.1:8080" is web.listen too`}},
		{"max per day zero", "[reminders]\nmax_per_day = 0\n", []string{"reminders.max_per_day: must be between 1 and 24"}},
		{"bad bounce address", "[mail]\nbounce_address = \"bounces@example.org\"\n", []string{`mail.bounce_address: want an address with {token}`}},
		{"imap without host", "[[sources.imap]]\nusername = \"u\"\npassword_file = \"/nonexistent/pw\"\n",
			[]string{"sources.imap[0].host: must not be empty", "sources.imap[0].password_file:", "/nonexistent/pw"}},
		{"imap bad security", "[[sources.imap]]\nhost = \"h\"\nsecurity = \"ssl\"\n", []string{`sources.imap[0].security: must be`, "sources.imap[0].username"}},
		{"bounces without address", "[sources.bounces]\nhost = \"h\"\nusername = \"u\"\npassword_file = \"/nonexistent/pw\"\n",
			[]string{"mail.bounce_address: required when sources.bounces is set"}},
		{"feed bad url", "[[sources.feed]]\nurl = \"ftp://x\"\n[[sources.feed]]\nurl = \"https://x.example/f\"\nevery = \"10s\"\n",
			[]string{`sources.feed[0].url: want an http(s) URL, not "ftp://x"`, "sources.feed[1].every: must be at least 1m"}},
		{"missing password file", "[mail]\ntransport = \"smtp\"\n[smtp]\nusername = \"u\"\npassword_file = \"/nonexistent/pw\"\n", []string{"smtp.password_file:", "/nonexistent/pw"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(writeFile(t, tt.body))
			if err == nil {
				t.Fatal("Load succeeded, want an error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if !strings.HasPrefix(err.Error(), "config: ") {
				t.Errorf("error %q lacks the config: prefix", err)
			}
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "nope.toml"))
	if err == nil || !strings.Contains(err.Error(), "nope.toml") {
		t.Errorf("err = %v, want it to name the file", err)
	}
}

func ExampleLoad() {
	c, err := Load("../config.example.toml")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Schedule.Timezone, c.Reminders.Offsets, c.Reminders.SendTime)
	// Output: Europe/Paris [7d 2d 0d] 08:00
}

func TestTrustedProxies(t *testing.T) {
	dir := t.TempDir()
	write := func(list string) string {
		p := filepath.Join(dir, "c.toml")
		if err := os.WriteFile(p, []byte("[database]\npath = \"e.db\"\n[web]\ntrusted_proxies = "+list+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	c, err := Load(write(`["127.0.0.1", "10.0.0.0/8", "::1"]`))
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(c.Web.Proxies); got != "[127.0.0.1/32 10.0.0.0/8 ::1/128]" {
		t.Errorf("proxies %s", got)
	}
	_, err = Load(write(`["127.0.0.1", "proxy.example"]`))
	if err == nil || !strings.Contains(err.Error(), "web.trusted_proxies[1]") || !strings.Contains(err.Error(), "proxy.example") {
		t.Errorf("a host name: %v, want an error naming web.trusted_proxies[1]", err)
	}
}

func TestIsHostname(t *testing.T) {
	long := strings.Repeat("a", 63)
	for s, want := range map[string]bool{
		"localhost": true, "smtp.example.org": true, "a-b.c0": true, "A.B": true, long + ".fr": true,
		"": false, ".": false, "a..b": false, "a.b.": false, ".a": false, "-a.fr": false, "a-.fr": false,
		long + "a.fr": false, "a_b.fr": false, "é.fr": false, "a b": false, "a:25": false,
	} {
		if got := isHostname(s); got != want {
			t.Errorf("isHostname(%q) = %v, want %v", s, got, want)
		}
	}
}
