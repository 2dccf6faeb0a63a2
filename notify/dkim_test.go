package notify

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/emersion/go-msgauth/dkim"

	"github.com/echeance/echeance/config"
)

// TestDKIMSignature signs a reminder with a key made for the test and
// checks the signature the way a receiver would (RFC 6376, relaxed
// canonicalization), then that a changed header breaks it.
func TestDKIMSignature(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(t.TempDir(), "dkim.pem")
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	m := newMailer(t, func(c *config.Config) {
		c.DKIM = config.DKIM{Domain: "echeance.example", Selector: "rappels2025", KeyFile: keyFile}
	})
	r := goldenReminders(m, "fr")["digest"]
	msg, err := m.Build(r)
	if err != nil {
		t.Fatal(err)
	}
	raw := write(t, msg)
	if strings.Count(raw, "DKIM-Signature: ") != 1 {
		t.Fatalf("want one DKIM-Signature:\n%.600s", raw)
	}
	if again := write(t, msg); again != raw {
		t.Fatal("a second rendering of the signed message differs from the first")
	}
	tags := verifyDKIM(t, raw, &key.PublicKey)
	if tags["d"] != "echeance.example" || tags["s"] != "rappels2025" || tags["a"] != "rsa-sha256" {
		t.Errorf("tags = %v", tags)
	}
	h := map[string]int{}
	for _, name := range strings.Split(strings.ToLower(tags["h"]), ":") {
		h[name]++
	}
	for _, name := range []string{"from", "to", "subject", "date", "message-id", "list-unsubscribe", "list-unsubscribe-post",
		"reply-to", "cc", "mime-version", "content-type", "list-id"} {
		if h[name] == 0 {
			t.Errorf("h= %q does not sign %s", tags["h"], name)
		}
	}
	for _, name := range []string{"from", "subject", "reply-to", "list-unsubscribe", "list-unsubscribe-post"} {
		if h[name] < 2 {
			t.Errorf("h= %q does not oversign %s", tags["h"], name)
		}
	}
	// An independent verifier (emersion/go-msgauth), given the key as DNS
	// would publish it.
	if err := msgauthVerify(raw, &key.PublicKey); err != nil {
		t.Errorf("go-msgauth: %v", err)
	}
	// The message still parses as MIME after signing.
	parse(t, raw)

	head, body, _ := strings.Cut(raw, "\r\n\r\n")
	for name, tampered := range map[string]string{
		"List-Unsubscribe-Post changed": strings.Replace(raw, "List-Unsubscribe-Post: List-Unsubscribe=One-Click", "List-Unsubscribe-Post: List-Unsubscribe=Two-Clicks", 1),
		"Reply-To added":                head + "\r\nReply-To: attacker@evil.example\r\n\r\n" + body,
		"Cc added":                      head + "\r\nCc: attacker@evil.example\r\n\r\n" + body,
		"second Subject":                head + "\r\nSubject: Urgent: confirm your password\r\n\r\n" + body,
		"second From":                   head + "\r\nFrom: Service <admin@evil.example>\r\n\r\n" + body,
	} {
		if tampered == raw {
			t.Fatalf("%s: nothing to tamper with", name)
		}
		if dkimValid(raw, tampered, &key.PublicKey) {
			t.Errorf("%s: still verifies (hand-written verifier)", name)
		}
		if msgauthVerify(tampered, &key.PublicKey) == nil {
			t.Errorf("%s: still verifies (go-msgauth)", name)
		}
	}

	// A confirmation is signed too.
	c, err := m.BuildConfirmation(Confirmation{To: "ines@example.org", Lang: "fr", Now: testNow, MessageID: "c@echeance.example",
		ConfirmURL: "https://echeance.example/a/x"})
	if err != nil {
		t.Fatal(err)
	}
	if err := msgauthVerify(write(t, c), &key.PublicKey); err != nil {
		t.Errorf("confirmation: %v", err)
	}

	// A bad key file fails at start-up.
	bad := filepath.Join(t.TempDir(), "bad.pem")
	os.WriteFile(bad, []byte("not a key"), 0o600)
	cfg, _ := config.Default()
	cfg.Mail.From = "rappels@echeance.example"
	if _, err := New(cfg.Mail, cfg.SMTP, config.DKIM{Domain: "d.example", Selector: "s", KeyFile: bad}, cfg.Site, testCatalog(t), cfg.Schedule.Location, testIDKey, nil); err == nil {
		t.Error("New accepted a key file that holds no key")
	}
}

// msgauthVerify checks raw's signature with go-msgauth, which looks the key
// up as a receiver would (here from memory instead of DNS).
func msgauthVerify(raw string, pub *rsa.PublicKey) error {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return err
	}
	record := "v=DKIM1; k=rsa; p=" + base64.StdEncoding.EncodeToString(der)
	vs, err := dkim.VerifyWithOptions(strings.NewReader(raw), &dkim.VerifyOptions{
		LookupTXT: func(domain string) ([]string, error) {
			if domain != "rappels2025._domainkey.echeance.example" {
				return nil, fmt.Errorf("no TXT record for %s", domain)
			}
			return []string{record}, nil
		}})
	if err != nil {
		return err
	}
	if len(vs) != 1 {
		return fmt.Errorf("%d signatures", len(vs))
	}
	return vs[0].Err
}

func verifyDKIM(t *testing.T, raw string, pub *rsa.PublicKey) map[string]string {
	t.Helper()
	tags, err := checkDKIM(raw, pub)
	if err != nil {
		t.Fatalf("DKIM: %v\n%.2000s", err, raw)
	}
	return tags
}

func dkimValid(_, raw string, pub *rsa.PublicKey) bool {
	_, err := checkDKIM(raw, pub)
	return err == nil
}

var wspRE = regexp.MustCompile(`[ \t]+`)

type dkimError string

func (e dkimError) Error() string { return string(e) }

// checkDKIM verifies the first DKIM-Signature of raw: relaxed/relaxed,
// rsa-sha256, as RFC 6376 sections 3.4 and 3.7 describe.
func checkDKIM(raw string, pub *rsa.PublicKey) (map[string]string, error) {
	head, body, ok := strings.Cut(raw, "\r\n\r\n")
	if !ok {
		return nil, dkimError("no body")
	}
	var fields []string // unfolded "Name: value"
	for _, l := range strings.Split(head, "\r\n") {
		if strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t") {
			fields[len(fields)-1] += "\r\n" + l
			continue
		}
		fields = append(fields, l)
	}
	sigAt := -1
	for i, f := range fields {
		if strings.HasPrefix(strings.ToLower(f), "dkim-signature:") {
			sigAt = i
			break
		}
	}
	if sigAt < 0 {
		return nil, dkimError("no DKIM-Signature")
	}
	sigField := fields[sigAt]
	tags := map[string]string{}
	_, sigValue, _ := strings.Cut(sigField, ":")
	for _, tv := range strings.Split(sigValue, ";") {
		k, v, _ := strings.Cut(tv, "=")
		tags[strings.TrimSpace(k)] = strings.Join(strings.Fields(v), "")
	}
	if tags["c"] != "relaxed/relaxed" || tags["a"] != "rsa-sha256" {
		return tags, dkimError("unexpected c= or a=: " + tags["c"] + " " + tags["a"])
	}

	// Body hash.
	lines := strings.Split(body, "\r\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(wspRE.ReplaceAllString(l, " "), " ")
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	cb := ""
	if len(lines) > 0 {
		cb = strings.Join(lines, "\r\n") + "\r\n"
	}
	bh := sha256.Sum256([]byte(cb))
	if base64.StdEncoding.EncodeToString(bh[:]) != tags["bh"] {
		return tags, dkimError("body hash mismatch")
	}

	relaxed := func(f string) string {
		name, value, _ := strings.Cut(f, ":")
		value = strings.NewReplacer("\r\n", "").Replace(value)
		value = strings.TrimSpace(wspRE.ReplaceAllString(value, " "))
		return strings.ToLower(strings.TrimSpace(name)) + ":" + value
	}
	// Headers named in h=, each taken from the bottom up.
	used := map[int]bool{sigAt: true}
	var in strings.Builder
	for _, name := range strings.Split(tags["h"], ":") {
		for i := len(fields) - 1; i >= 0; i-- {
			n, _, _ := strings.Cut(fields[i], ":")
			if !used[i] && strings.EqualFold(strings.TrimSpace(n), name) {
				used[i] = true
				in.WriteString(relaxed(fields[i]) + "\r\n")
				break
			}
		}
	}
	emptyB := regexp.MustCompile(`(^|;)(\s*b=)[^;]*`).ReplaceAllString(sigValue, "$1$2")
	in.WriteString(relaxed("DKIM-Signature:" + emptyB))
	sig, err := base64.StdEncoding.DecodeString(tags["b"])
	if err != nil {
		return tags, err
	}
	sum := sha256.Sum256([]byte(in.String()))
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig); err != nil {
		return tags, err
	}
	return tags, nil
}
