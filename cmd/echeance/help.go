package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
)

// command is one entry of echeance's help: usage, help flags and "did you
// mean" all read this table.
type command struct {
	name     string // "offer add"
	synopsis string // what follows "echeance " in the usage line
	summary  string
}

// commands lists every command and subcommand, in the order of the help.
var commands = []command{
	{"run", "run", "run the daemon: reminder job on the cron schedule, web server for links and the console (/admin/), metrics; SIGHUP reloads the config"},
	{"tick", "tick", "run the reminder job once, print what it sent, exit"},
	{"status", "status [--json]", "next run, reminders due, sent today, failures, oldest unsent"},
	{"doctor", "doctor", "check config, database, file permissions, SMTP relay (no mail sent), ports; exit 1 if any check fails"},
	{"backup", "backup [--keep N] PATH", "write a consistent, checked copy of the database to PATH (a new file, or a folder)"},
	{"offer add", "offer add PATH...", "read and store offers (files, folders, http(s) URLs, - for stdin; text, Markdown, HTML, PDF, DOCX, ODT)"},
	{"offer list", "offer list [--json]", "list stored offers"},
	{"offer set-deadline", "offer set-deadline ID DATE [--time HH:MM] | ID --none", "set an offer's last day to apply by hand, or say it has none; followers are told; confirms it"},
	{"offer confirm", "offer confirm ID", "confirm what was read of an offer waiting for review: its reminders go out"},
	{"offer archive", "offer archive ID", "hide an offer from students and skip its pending reminders; it stays, with its history"},
	{"offer remove", "offer remove ID", "delete an offer and its reminders (its history stays in the audit log)"},
	{"admin add", "admin add EMAIL", "create a console account (or replace its password): prints a one-time link to set the password, valid 24 h"},
	{"admin list", "admin list", "the console's accounts, whether their password is set, their open sessions"},
	{"admin remove", "admin remove EMAIL", "delete a console account; its sessions end at once"},
	{"review", "review [--json]", "the offers waiting for review (offers.review), what was read of each and why"},
	{"subscriber add", "subscriber add EMAIL [--name NAME] [--lang fr|en] [--offsets 7d,2d,0d] [--offer ID]... [--search Q]... [--pending] [--weekly]",
		"subscribe a student (to every offer when no --offer nor --search; --pending: they confirm by email first; --weekly: weekly summary too)"},
	{"subscriber import", "subscriber import FILE.csv", "add subscribers from CSV: email,name,lang,offsets,offers,search (commas or semicolons; UTF-8 or Excel's Windows-1252)"},
	{"subscriber edit", "subscriber edit EMAIL [--offsets 14,3,1|default] [--lang fr|en] [--name NAME] [--weekly[=false]] [--search Q]... [--remove-search Q]...",
		"change a student's offsets (their pending reminders are planned again), language, name, weekly summary, saved searches"},
	{"subscriber list", "subscriber list [--json]", "list subscribers"},
	{"subscriber show", "subscriber show EMAIL [--json]", "one subscriber, their searches and reminders"},
	{"subscriber pause", "subscriber pause EMAIL", "stop a subscriber's reminders"},
	{"subscriber resume", "subscriber resume EMAIL", "restart a subscriber's reminders"},
	{"subscriber revoke-links", "subscriber revoke-links EMAIL", "make every link of the emails sent to them stop working"},
	{"subscriber remove", "subscriber remove EMAIL", "delete a subscriber and their reminders (their links stop working)"},
	{"follow", "follow EMAIL OFFER_ID [--applied|--not-interested]", "follow an offer, or stop its reminders"},
	{"reminder list", "reminder list [--due] [--json]", "the reminder outbox (--due: pending and due now)"},
	{"preview", "preview --subscriber EMAIL [--html FILE]", "print the message a run now would send them; send and record nothing"},
	{"sources read", "sources read", "read every mailbox and feed once, print what each did"},
	{"extract", "extract [--json] PATH...", "read offers without storing them"},
	{"dates", "dates [--ref TIME]", "read one date expression per line on stdin, print JSON"},
	{"check-config", "check-config [PATH]", "load and validate the config, print it with secrets hidden"},
	{"version", "version", "print the version"},
	{"help", "help [COMMAND [SUBCOMMAND]]", "this help, or one command's"},
}

const globalHelp = `Global flags (before or after the command):
  --config PATH   TOML configuration (default: embedded defaults)
  --now TIME      virtual clock: RFC 3339, or YYYY-MM-DD meaning noon local time
`

// usage is the whole help, from the table.
func usage() string {
	var b strings.Builder
	b.WriteString("echeance: application deadline reminders for students\n\nUsage:\n  echeance [--config PATH] [--now TIME] COMMAND [ARGS]\n\nCommands:\n")
	for _, c := range commands {
		writeEntry(&b, c)
	}
	b.WriteString("\n" + globalHelp + "\n`echeance COMMAND --help` shows a command's flags.\nExit status: 0 ok, 1 failure, 2 bad usage or bad configuration.\n")
	return b.String()
}

func writeEntry(w io.Writer, c command) {
	if len(c.synopsis) <= 28 {
		fmt.Fprintf(w, "  %-28s %s\n", c.synopsis, c.summary)
		return
	}
	fmt.Fprintf(w, "  %s\n  %-28s %s\n", c.synopsis, "", c.summary)
}

func lookup(name string) (command, bool) {
	for _, c := range commands {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// groups are the commands that take a subcommand.
func subcommands(group string) []command {
	var out []command
	for _, c := range commands {
		if strings.HasPrefix(c.name, group+" ") {
			out = append(out, c)
		}
	}
	return out
}

func isGroup(name string) bool { return len(subcommands(name)) > 0 }

// groupHelp is the help of a command that takes a subcommand.
func groupHelp(group string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Usage:\n  echeance %s SUBCOMMAND [ARGS]\n\nSubcommands:\n", group)
	for _, c := range subcommands(group) {
		writeEntry(&b, c)
	}
	fmt.Fprintf(&b, "\n`echeance %s SUBCOMMAND --help` shows a subcommand's flags.\n", group)
	return b.String()
}

// commandHelp is one command's help: usage line, what it does, its flags.
func commandHelp(name string, fs *flag.FlagSet) string {
	var b strings.Builder
	c, ok := lookup(name)
	if !ok {
		c = command{name: name, synopsis: name}
	}
	fmt.Fprintf(&b, "Usage:\n  echeance %s\n\n%s\n", c.synopsis, c.summary)
	if fs != nil {
		n := 0
		fs.VisitAll(func(*flag.Flag) { n++ })
		if n > 0 {
			b.WriteString("\nFlags:\n")
			var defaults strings.Builder
			fs.SetOutput(&defaults)
			fs.PrintDefaults()
			fs.SetOutput(io.Discard)
			// Written --name, as everywhere in echeance's docs.
			b.WriteString(strings.ReplaceAll("\n"+defaults.String(), "\n  -", "\n  --")[1:])
		}
	}
	b.WriteString("\n" + globalHelp)
	return b.String()
}

// helpRequest is returned by parseFlags for -h, -help or --help: run
// prints the command's help on stdout and exits 0.
type helpRequest struct{ fs *flag.FlagSet }

func (h helpRequest) Error() string { return "help requested" }

func isHelpArg(a string) bool { return a == "-h" || a == "-help" || a == "--help" }

// wantsHelp reports whether args ask for help (before any "--").
func wantsHelp(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		if isHelpArg(a) {
			return true
		}
	}
	return false
}

// nearest returns the candidate closest to s by edit distance, if close
// enough to be a typo.
func nearest(s string, candidates []string) (string, bool) {
	best, bestD := "", len(s)/2+2
	for _, c := range candidates {
		if d := editDistance(s, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best, best != ""
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// unknown is the error for a command or subcommand nobody knows: the
// nearest name, then a one-line hint. prefix starts the message ("offer: ").
func unknown(prefix, what, name string, candidates []string, hint string) error {
	if near, ok := nearest(name, candidates); ok {
		return usagef("%sunknown %s %q (did you mean %s?)\n%s", prefix, what, name, near, hint)
	}
	return usagef("%sunknown %s %q\n%s", prefix, what, name, hint)
}

// topNames are the first words of the commands.
func topNames() []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range commands {
		n, _, _ := strings.Cut(c.name, " ")
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

func subNames(group string) []string {
	var out []string
	for _, c := range subcommands(group) {
		out = append(out, strings.TrimPrefix(c.name, group+" "))
	}
	return out
}
