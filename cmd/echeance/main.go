// Command echeance reads internship and job offers, finds their application
// deadlines and emails each subscribed student reminders before them.
//
// main wires the packages together in plain sight: flags, config, logger,
// store, mailer, scheduler. Every subcommand is a function of its own below.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/echeance/echeance/config"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

const usage = `echeance: application deadline reminders for students

Usage:
  echeance [--config PATH] [--now TIME] COMMAND [ARGS]

Commands:
  run                          run the daemon (reminder job on the cron schedule)
  tick                         run the reminder job once, print what it sent, exit
  status                       next run, reminders due, sent today, failures, oldest unsent
  offer add PATH...            read and store offers (files, folders, URLs, - for stdin;
                               text, Markdown, HTML, PDF, DOCX, ODT)
  offer list [--json]          list stored offers
  offer set-deadline ID DATE [--time HH:MM]
                               set an offer's last day to apply by hand; followers are told
  subscriber add EMAIL [--name NAME] [--lang fr|en] [--offsets 7d,2d,0d] [--offer ID]... [--search Q]...
                               [--pending] [--weekly]
                               subscribe a student (to every offer when no --offer nor --search;
                               --pending: they confirm by email first; --weekly: weekly summary too)
  subscriber import FILE.csv   add subscribers from CSV: email,name,lang,offsets,offers,search
  subscriber list [--json]     list subscribers
  subscriber show EMAIL        one subscriber, their searches and reminders
  subscriber pause|resume EMAIL
                               stop or restart a subscriber's reminders
  subscriber revoke-links EMAIL
                               make every link of the emails sent to them stop working
  subscriber remove EMAIL      delete a subscriber and their reminders (their links stop working)
  follow EMAIL OFFER_ID [--applied|--not-interested]
                               follow an offer, or stop its reminders
  reminder list [--due] [--json]
                               the reminder outbox (--due: pending and due now)
  preview --subscriber EMAIL [--html FILE]
                               print the message a run now would send them; send and record nothing
  sources read                 read every mailbox and feed once, print what each did
  extract [--json] PATH...     read offers without storing them
  dates [--ref TIME]           read one date expression per line on stdin, print JSON
  check-config [PATH]          load and validate the config, print it with secrets hidden
  version                      print the version

Global flags (before or after the command):
  --config PATH   TOML configuration (default: embedded defaults)
  --now TIME      virtual clock: RFC 3339, or YYYY-MM-DD meaning noon local time

Exit status: 0 ok, 1 failure, 2 bad usage or bad configuration.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// usageError is bad usage or bad configuration: exit status 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// env is what every command gets: global flags resolved, config loaded.
type env struct {
	cfg    config.Config
	now    func() time.Time
	nowSet bool
	log    *slog.Logger
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	err := dispatch(ctx, args, stdin, stdout, stderr)
	if err == nil {
		return 0
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	fmt.Fprintln(stderr, "echeance:", strings.ReplaceAll(err.Error(), "\n", "\n  "))
	var ue usageError
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}

// globals pulls --config and --now out of args, wherever they stand.
func globals(args []string) (cfgPath, now string, rest []string, err error) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || (name != "config" && name != "now") {
			rest = append(rest, a)
			continue
		}
		if !hasVal {
			if i+1 >= len(args) {
				return "", "", nil, usagef("flag --%s needs a value", name)
			}
			i++
			val = args[i]
		}
		if name == "config" {
			cfgPath = val
		} else {
			now = val
		}
	}
	return cfgPath, now, rest, nil
}

// parseNow reads --now: RFC 3339, or a date meaning noon in loc.
func parseNow(s string, loc *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
		return t.Add(12 * time.Hour), nil
	}
	return time.Time{}, fmt.Errorf("invalid time %q: want RFC 3339 or YYYY-MM-DD", s)
}

func dispatch(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	cfgPath, nowStr, rest, err := globals(args)
	if err != nil {
		return err
	}
	if len(rest) == 0 {
		fmt.Fprint(stderr, usage)
		return usagef("no command given")
	}
	cmd, rest := rest[0], rest[1:]
	switch cmd {
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	case "version", "--version":
		fmt.Fprintln(stdout, "echeance", version)
		return nil
	case "check-config":
		if len(rest) > 1 {
			return usagef("check-config takes at most one PATH")
		}
		if len(rest) == 1 {
			cfgPath = rest[0]
		}
	}

	cfg, err := config.Load(cfgPath)
	if err != nil {
		return usageError{err}
	}
	e := &env{cfg: cfg, now: time.Now, stdin: stdin, stdout: stdout, stderr: stderr}
	if nowStr != "" {
		start, err := parseNow(nowStr, cfg.Schedule.Location)
		if err != nil {
			return usagef("--now: %v", err)
		}
		// The virtual clock starts at --now and advances in real time.
		real := time.Now()
		e.now = func() time.Time { return start.Add(time.Since(real)) }
		e.nowSet = true
	}
	level := new(slog.LevelVar)
	if err := level.UnmarshalText([]byte(cfg.Log.Level)); err != nil {
		return usagef("log.level: %v", err)
	}
	if cmd != "run" && level.Level() < slog.LevelWarn {
		// One-shot commands print their results; keep the log for problems.
		level.Set(slog.LevelWarn)
	}
	e.log = newLogger(stderr, level)

	switch cmd {
	case "run":
		return cmdRun(ctx, e, rest)
	case "tick":
		return cmdTick(ctx, e, rest)
	case "offer":
		return cmdOffer(ctx, e, rest)
	case "subscriber":
		return cmdSubscriber(ctx, e, rest)
	case "extract":
		return cmdExtract(ctx, e, rest)
	case "dates":
		return cmdDates(e, rest)
	case "follow":
		return cmdFollow(ctx, e, rest)
	case "reminder":
		return cmdReminder(ctx, e, rest)
	case "status":
		return cmdStatus(ctx, e, rest)
	case "preview":
		return cmdPreview(ctx, e, rest)
	case "sources":
		return cmdSources(ctx, e, rest)
	case "check-config":
		fmt.Fprintf(stdout, "# %s: valid\n", orDefault(cfgPath, "embedded defaults"))
		fmt.Fprint(stdout, cfg.Redacted())
		return nil
	}
	fmt.Fprint(stderr, usage)
	return usagef("unknown command %q", cmd)
}

// newLogger is the one logger: text on stderr, without the time key under
// journald, which stamps lines itself.
func newLogger(w io.Writer, level slog.Leveler) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	if os.Getenv("JOURNAL_STREAM") != "" {
		opts.ReplaceAttr = func(groups []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey && len(groups) == 0 {
				return slog.Attr{}
			}
			return a
		}
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// parseFlags parses fs allowing flags and positional arguments in any
// order, and returns the positional ones.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{err}
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

func newFlagSet(name string, e *env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	return fs
}
