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
	cfg config.Config
	// cfgPath is the file cfg was read from ("" for the defaults), read
	// again on SIGHUP; level is the log level a reload may change.
	cfgPath string
	level   *slog.LevelVar
	now     func() time.Time
	nowSet  bool
	log     *slog.Logger
	stdin   io.Reader
	stdout  io.Writer
	stderr  io.Writer
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	err := dispatch(ctx, args, stdin, stdout, stderr)
	if err == nil {
		return 0
	}
	var help helpRequest
	if errors.As(err, &help) {
		fmt.Fprint(stdout, commandHelp(help.fs.Name(), help.fs))
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
		fmt.Fprint(stderr, usage())
		return usagef("no command given")
	}
	cmd, rest := rest[0], rest[1:]
	if cmd == "help" || isHelpArg(cmd) {
		if len(rest) == 0 || rest[0] == "help" || isHelpArg(rest[0]) {
			fmt.Fprint(stdout, usage())
			return nil
		}
		// help offer add is offer add --help.
		cmd, rest = rest[0], append(rest[1:], "--help")
	}
	if cmd == "--version" {
		cmd = "version"
	}
	if _, ok := lookup(cmd); !ok && !isGroup(cmd) {
		return unknown("", "command", cmd, topNames(), "run 'echeance help' for the list of commands")
	}
	help := wantsHelp(rest)
	if isGroup(cmd) {
		switch {
		case len(rest) == 0:
			return usagef("%s: want a subcommand: %s\nrun 'echeance %s --help' for their usage", cmd, strings.Join(subNames(cmd), ", "), cmd)
		case isHelpArg(rest[0]):
			fmt.Fprint(stdout, groupHelp(cmd))
			return nil
		}
		if _, ok := lookup(cmd + " " + rest[0]); !ok {
			return unknown(cmd+": ", "subcommand", rest[0], subNames(cmd), "run 'echeance "+cmd+" --help' for its subcommands")
		}
	}
	switch cmd {
	case "version", "check-config":
		if help {
			fmt.Fprint(stdout, commandHelp(cmd, nil))
			return nil
		}
	}
	switch cmd {
	case "version":
		fmt.Fprintln(stdout, "echeance", version)
		return nil
	case "doctor":
		return cmdDoctor(ctx, cfgPath, rest, stdout, stderr, time.Now)
	case "check-config":
		if len(rest) > 1 {
			return usagef("check-config takes at most one PATH")
		}
		if len(rest) == 1 {
			cfgPath = rest[0]
		}
	}

	cfg, err := config.Load(cfgPath)
	if help {
		// Help needs no valid configuration.
		cfg, err = config.Default()
	}
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
	e.cfgPath, e.level = cfgPath, level

	switch cmd {
	case "run":
		return cmdRun(ctx, e, rest)
	case "tick":
		return cmdTick(ctx, e, rest)
	case "offer":
		return cmdOffer(ctx, e, rest)
	case "admin":
		return cmdAdmin(ctx, e, rest)
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
	case "review":
		return cmdReview(ctx, e, rest)
	case "backup":
		return cmdBackup(ctx, e, rest)
	case "sources":
		return cmdSources(ctx, e, rest)
	case "check-config":
		fmt.Fprintf(stdout, "# %s: valid\n", orDefault(cfgPath, "embedded defaults"))
		fmt.Fprint(stdout, cfg.Redacted())
		for _, x := range exposedFiles(cfg) {
			fmt.Fprintln(stderr, "echeance: warning:", x)
		}
		return nil
	}
	return unknown("", "command", cmd, topNames(), "run 'echeance help' for the list of commands")
}

// newLogger is the one logger: text on stderr, without the time key under
// journald, which stamps lines itself.
func newLogger(w io.Writer, level slog.Leveler) *slog.Logger {
	return newLoggerFor(w, level, os.Getenv("JOURNAL_STREAM") != "")
}

// newLoggerFor builds the logger; under journald lines carry their
// priority and no time.
func newLoggerFor(w io.Writer, level slog.Leveler, journald bool) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	if !journald {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	opts.ReplaceAttr = func(groups []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey && len(groups) == 0 {
			return slog.Attr{}
		}
		return a
	}
	return slog.New(newJournalHandler(w, func(w io.Writer) slog.Handler { return slog.NewTextHandler(w, opts) }))
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
	if wantsHelp(args) {
		return nil, helpRequest{fs}
	}
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, usagef("%s: %v\nrun 'echeance %s --help' for its usage", fs.Name(), err, fs.Name())
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
	// Errors are reported once, by run; help goes to stdout (help.go).
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}
