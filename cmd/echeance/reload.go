package main

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/echeance/echeance/config"
	"github.com/echeance/echeance/ingest"
	"github.com/echeance/echeance/notify"
	"github.com/echeance/echeance/scheduler"
	"github.com/echeance/echeance/store"
)

// reloader applies a new configuration on SIGHUP: what can change while the
// daemon runs (log level, schedule, reminders, mail, SMTP, DKIM, templates,
// inbox) is applied at once, between two runs; what needs a restart
// (database, time zone, web server, metrics address, site) is logged and kept as
// it was. A configuration that does not load is refused whole.
type reloader struct {
	e      *env
	d      *daemon
	sd     *systemd
	mailer *atomic.Pointer[notify.Mailer]
}

// restartKeys are the sections and keys a reload does not apply.
var restartKeys = []string{"database.", "schedule.timezone", "web.", "metrics.", "site.", "review."}

func needsRestart(key string) bool {
	for _, k := range restartKeys {
		if key == k || strings.HasSuffix(k, ".") && strings.HasPrefix(key, k) {
			return true
		}
	}
	return false
}

func (r *reloader) reload() {
	e := r.e
	r.sd.tell(e.log, "RELOADING=1")
	defer r.sd.tell(e.log, "READY=1")
	next, err := config.Load(e.cfgPath)
	if err != nil {
		e.log.Error("reload refused: keeping the running configuration", "config", orDefault(e.cfgPath, "embedded defaults"),
			"error", strings.ReplaceAll(err.Error(), "\n", "; "))
		return
	}
	old := e.cfg
	changed := configDiff(old, next)
	var apply, restart []string
	for _, k := range changed {
		if needsRestart(k) {
			restart = append(restart, k)
		} else {
			apply = append(apply, k)
		}
	}
	// Keep what needs a restart as it runs.
	next.Database, next.Web, next.Metrics, next.Site, next.Review = old.Database, old.Web, old.Metrics, old.Site, old.Review
	next.Schedule.Timezone, next.Schedule.Location = old.Schedule.Timezone, old.Schedule.Location

	idKey, err := r.d.store.Secret(context.Background(), "message_id_key", 32)
	if err != nil {
		e.log.Error("reload refused: keeping the running configuration", "error", err)
		return
	}
	mailer, err := notify.New(next.Mail, next.SMTP, next.DKIM, next.Site, r.d.cat, next.Schedule.Location, idKey, e.log)
	if err != nil {
		e.log.Error("reload refused: keeping the running configuration", "error", err)
		return
	}
	var readInbox scheduler.IngestFunc
	if dir := next.Offers.Inbox; dir != "" {
		in := newIngesterFor(r.d.store, next, e.log)
		readInbox = func(ctx context.Context, now time.Time) error { return in.Inbox(ctx, dir, now) }
	}
	nextRun, err := r.d.sched.Reconfigure(next.Schedule, next.Reminders, mailer, readInbox)
	if err != nil {
		e.log.Error("reload refused: keeping the running configuration", "error", err)
		return
	}
	r.mailer.Store(mailer)
	r.d.store.SetReviewPolicy(reviewPolicy(next.Offers.Review))
	var level slog.Level
	if err := level.UnmarshalText([]byte(next.Log.Level)); err == nil {
		e.level.Set(level)
	}
	e.cfg = next
	warnExposed(next, e.log)
	args := []any{"config", orDefault(e.cfgPath, "embedded defaults"), "changed", strings.Join(apply, ","),
		"schedule", next.Schedule.Reminders, "next_run", nextRun.In(next.Schedule.Location).Format(time.RFC3339)}
	if len(changed) == 0 {
		args[3] = "nothing"
	}
	if len(restart) > 0 {
		args = append(args, "needs_restart", strings.Join(restart, ","))
		e.log.Warn("configuration reloaded; some changes need a restart", args...)
		return
	}
	e.log.Info("configuration reloaded", args...)
}

// configDiff returns the keys ("smtp.host") whose values differ, sorted.
// A secret read from a file counts as a change of its *_file key.
func configDiff(a, b config.Config) []string {
	fa, fb := flatConfig(a), flatConfig(b)
	seen := map[string]bool{}
	var out []string
	add := func(k string) {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	for k, v := range fa {
		if fb[k] != v {
			add(k)
		}
	}
	for k := range fb {
		if _, ok := fa[k]; !ok {
			add(k)
		}
	}
	if a.SMTP.Password != b.SMTP.Password {
		add("smtp.password_file")
	}
	if string(a.Web.Secret) != string(b.Web.Secret) {
		add("web.secret_file")
	}
	sort.Strings(out)
	return out
}

// flatConfig writes c as TOML and reads it back as "section.key" -> value.
func flatConfig(c config.Config) map[string]string {
	var b strings.Builder
	if err := toml.NewEncoder(&b).Encode(c); err != nil {
		return map[string]string{"": err.Error()}
	}
	var tree map[string]any
	if _, err := toml.Decode(b.String(), &tree); err != nil {
		return map[string]string{"": err.Error()}
	}
	out := map[string]string{}
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		for k, v := range m {
			if sub, ok := v.(map[string]any); ok {
				walk(prefix+k+".", sub)
				continue
			}
			out[prefix+k] = fmt.Sprint(v)
		}
	}
	walk("", tree)
	return out
}

func newIngesterFor(st *store.Store, cfg config.Config, log *slog.Logger) *ingest.Ingester {
	return ingest.New(st, cfg.Schedule.Location, cfg.Offers.EstimateLead.Duration(), log)
}
