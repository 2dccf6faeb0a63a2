// Package dovecottest runs a real IMAP server for the tests: Debian's
// Dovecot (dovecot-imapd, installed by make test-deps), started on a free
// loopback port with its own configuration, one passwd-file user and a
// Maildir in a temporary folder, and stopped when the test ends. It runs
// as whoever runs the tests: as root, Dovecot's own unprivileged users
// (dovenull, dovecot) run its login and internal processes and the mail
// belongs to nobody; as another user, everything runs as that user. No
// systemd, no system configuration is touched.
package dovecottest

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// Server is a running Dovecot.
type Server struct {
	Host     string
	Port     int
	User     string
	Password string
	// Maildir is the user's mail folder (INBOX is its new/ and cur/).
	Maildir string
	uid     int
	gid     int
	seq     atomic.Int64
}

// Binary is where Debian installs Dovecot.
const Binary = "/usr/sbin/dovecot"

func freePort(tb testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Start runs Dovecot until the test ends.
func Start(tb testing.TB) *Server {
	tb.Helper()
	if _, err := os.Stat(Binary); err != nil {
		tb.Fatalf("no Dovecot at %s (make test-deps installs dovecot-imapd): %v", Binary, err)
	}
	// Not t.TempDir: its parents are private to the test's user, and the
	// mail processes run as another user when the tests run as root.
	dir, err := os.MkdirTemp("", "echeance-dovecot-")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	me, err := user.Current()
	if err != nil {
		tb.Fatal(err)
	}
	group, err := user.LookupGroupId(me.Gid)
	if err != nil {
		tb.Fatal(err)
	}
	s := &Server{Host: "127.0.0.1", Port: freePort(tb), User: "offres", Password: "secret-imap",
		Maildir: filepath.Join(dir, "home", "Maildir")}
	s.uid, _ = strconv.Atoi(me.Uid)
	s.gid, _ = strconv.Atoi(me.Gid)
	loginUser, internalUser, internalGroup := me.Username, me.Username, group.Name
	if s.uid == 0 {
		// Dovecot refuses to run its login processes or mail as root.
		nobody, err := user.Lookup("nobody")
		if err != nil {
			tb.Fatal(err)
		}
		s.uid, _ = strconv.Atoi(nobody.Uid)
		s.gid, _ = strconv.Atoi(nobody.Gid)
		loginUser, internalUser, internalGroup = "dovenull", "dovecot", "dovecot"
	}
	home := filepath.Join(dir, "home")
	for _, d := range []string{"cur", "new", "tmp"} {
		if err := os.MkdirAll(filepath.Join(s.Maildir, d), 0o700); err != nil {
			tb.Fatal(err)
		}
	}
	if err := filepath.Walk(home, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, s.uid, s.gid)
	}); err != nil {
		tb.Fatal(err)
	}
	passwd := filepath.Join(dir, "passwd")
	if err := os.WriteFile(passwd, fmt.Appendf(nil, "%s:{PLAIN}%s:%d:%d::%s::\n", s.User, s.Password, s.uid, s.gid, home), 0o644); err != nil {
		tb.Fatal(err)
	}
	conf := filepath.Join(dir, "dovecot.conf")
	logPath := filepath.Join(dir, "dovecot.log")
	body := fmt.Sprintf(`protocols = imap
listen = 127.0.0.1
base_dir = %[1]s/run
state_dir = %[1]s/state
log_path = %[2]s
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = %[3]s
default_internal_user = %[4]s
default_internal_group = %[5]s
first_valid_uid = 1
mail_location = maildir:~/Maildir
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%%u %[6]s
}
userdb {
  driver = passwd-file
  args = username_format=%%u %[6]s
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = %[7]d
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
service stats {
  inet_listener http {
    port = 0
  }
}
protocol imap {
  mail_max_userip_connections = 200
}
`, dir, logPath, loginUser, internalUser, internalGroup, passwd, s.Port)
	if s.uid != 0 && os.Getuid() != 0 {
		body += "first_valid_uid = " + me.Uid + "\n"
	}
	if err := os.WriteFile(conf, []byte(body), 0o644); err != nil {
		tb.Fatal(err)
	}
	cmd := exec.Command(Binary, "-F", "-c", conf)
	// Dovecot stops with the test process, even one killed before its
	// cleanups run.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	for deadline := time.Now().Add(15 * time.Second); ; {
		c, err := net.DialTimeout("tcp", net.JoinHostPort(s.Host, strconv.Itoa(s.Port)), time.Second)
		if err == nil {
			buf := make([]byte, 64)
			c.SetReadDeadline(time.Now().Add(5 * time.Second))
			n, _ := c.Read(buf)
			c.Close()
			if bytes.HasPrefix(buf[:n], []byte("* OK")) {
				return s
			}
		}
		if time.Now().After(deadline) {
			logs, _ := os.ReadFile(logPath)
			tb.Fatalf("dovecot did not start:\n%s\n%s", out.String(), logs)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Deliver puts a message into the user's INBOX as a delivery agent does:
// written into Maildir/tmp, then renamed into new/.
func (s *Server) Deliver(tb testing.TB, raw []byte) {
	tb.Helper()
	s.DeliverTo(tb, "", raw)
}

// DeliverTo delivers into a folder ("" for INBOX, else its name as the
// Maildir++ folder ".name").
func (s *Server) DeliverTo(tb testing.TB, folder string, raw []byte) {
	tb.Helper()
	dir := s.Maildir
	if folder != "" {
		dir = filepath.Join(s.Maildir, "."+folder)
		for _, d := range []string{"cur", "new", "tmp"} {
			os.MkdirAll(filepath.Join(dir, d), 0o700)
			os.Lchown(filepath.Join(dir, d), s.uid, s.gid)
		}
		os.Lchown(dir, s.uid, s.gid)
	}
	name := fmt.Sprintf("%d.M%dP%d.echeance-test", time.Now().Unix(), s.seq.Add(1), os.Getpid())
	tmp := filepath.Join(dir, "tmp", name)
	if err := os.WriteFile(tmp, raw, 0o600); err != nil {
		tb.Fatal(err)
	}
	if err := os.Lchown(tmp, s.uid, s.gid); err != nil {
		tb.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, "new", name)); err != nil {
		tb.Fatal(err)
	}
}

// Count returns how many messages the folder holds ("" for INBOX); a
// folder that does not exist holds none.
func (s *Server) Count(tb testing.TB, folder string) int {
	tb.Helper()
	dir := s.Maildir
	if folder != "" {
		dir = filepath.Join(s.Maildir, "."+folder)
	}
	n := 0
	for _, sub := range []string{"new", "cur"} {
		entries, err := os.ReadDir(filepath.Join(dir, sub))
		if err != nil {
			continue
		}
		n += len(entries)
	}
	return n
}
