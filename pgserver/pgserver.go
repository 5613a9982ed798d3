// Package pgserver runs a private PostgreSQL cluster from the machine's own
// server binaries, so Signpost works without any database set-up and tests get
// a real, throwaway database.
//
// When the current process is root, the cluster is initialised and run as the
// "postgres" user, because PostgreSQL refuses to run as root. The server
// listens on 127.0.0.1 only, on a free port, with Unix sockets disabled so the
// data directory path length never matters.
package pgserver

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/uptrace/bun/driver/pgdriver"
)

// ErrNoBinaries is returned when no PostgreSQL server binaries can be found.
var ErrNoBinaries = errors.New("no PostgreSQL server binaries found (looked for initdb and postgres on PATH and under /usr/lib/postgresql/*/bin): install PostgreSQL (e.g. apt-get install postgresql) or set DATABASE_URL")

// Superuser is the name of the cluster's superuser role. Only pgserver and
// the privileged steps around migrations use it.
const Superuser = "signpost"

// AppRole is the role the application connects as (AppURL): no superuser,
// no CREATEDB, CREATEROLE or REPLICATION, so it cannot turn triggers off
// with session_replication_role nor change the server's logging. It may
// create tables in its databases' public schema and owns what it creates.
const AppRole = "signpost_app"

// AuditRole owns the audit trail once sealed; nobody logs in as it.
const AuditRole = "signpost_audit"

// privacyLogSettings keep statements and their values out of the server's
// log: Bun writes values into statement text, so a failing statement would
// otherwise be logged with an NHS number or a password hash in it. ERROR
// and WARNING lines are left out too (log_min_messages=log), as some quote
// the offending value ("invalid input syntax for type uuid: ..."); the
// application logs its own errors. LOG and FATAL lines (start-up,
// shutdown, checkpoints, failed sign-ins to PostgreSQL) remain.
var privacyLogSettings = []string{
	"log_min_messages=log",
	"log_min_error_statement=panic",
	"log_error_verbosity=terse",
	"log_statement=none",
	"log_min_duration_statement=-1",
	"log_min_duration_sample=-1",
	"log_transaction_sample_rate=0",
	"log_parameter_max_length=0",
	"log_parameter_max_length_on_error=0",
	"log_lock_waits=off",
}

const passwordFile = "signpost.password"

// Options configure a cluster.
type Options struct {
	// DataDir holds the cluster. It is created and initialised when missing
	// and reused when it already holds a cluster.
	DataDir string
	// Ephemeral turns off durability (fsync and friends) for throwaway
	// clusters used by tests.
	Ephemeral bool
	// Logger receives progress messages; nil discards them.
	Logger *slog.Logger
}

// Server is a running private cluster.
type Server struct {
	dir         string
	port        int
	password    string
	appPassword string
	cmd         *exec.Cmd
	logPath     string
	exited      chan struct{}
	waitErr     error
	stopOnce    sync.Once
	stopErr     error
}

// binGlob is where distribution packages install server binaries.
var binGlob = "/usr/lib/postgresql/*/bin"

// FindBinaries returns the directory that holds initdb and postgres.
func FindBinaries() (string, error) {
	if p, err := exec.LookPath("postgres"); err == nil {
		if _, err := exec.LookPath("initdb"); err == nil {
			// Resolve symlinks so initdb finds its sibling postgres binary.
			if real, err := filepath.EvalSymlinks(p); err == nil {
				return filepath.Dir(real), nil
			}
			return filepath.Dir(p), nil
		}
	}
	dirs, _ := filepath.Glob(binGlob)
	// Prefer the newest major version.
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) > versionOf(dirs[j]) })
	for _, d := range dirs {
		if isExecutable(filepath.Join(d, "postgres")) && isExecutable(filepath.Join(d, "initdb")) {
			return d, nil
		}
	}
	return "", ErrNoBinaries
}

func versionOf(binDir string) float64 {
	v, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(binDir)), 64)
	return v
}

func isExecutable(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

// runAs describes the account the server processes run under.
type runAs struct {
	cred *syscall.Credential // nil: the current user
	uid  int
	gid  int
}

func currentRunAs() (runAs, error) {
	if os.Geteuid() != 0 {
		return runAs{uid: os.Geteuid(), gid: os.Getegid()}, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return runAs{}, fmt.Errorf("running as root, PostgreSQL must run as the \"postgres\" user, which does not exist: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return runAs{cred: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, uid: uid, gid: gid}, nil
}

// Start initialises the cluster if needed and starts the server, returning
// once it accepts connections.
func Start(ctx context.Context, opts Options) (*Server, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	binDir, err := FindBinaries()
	if err != nil {
		return nil, err
	}
	dir, err := filepath.Abs(opts.DataDir)
	if err != nil {
		return nil, err
	}
	who, err := currentRunAs()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return nil, fmt.Errorf("creating %s: %w", filepath.Dir(dir), err)
	}
	if who.cred != nil {
		if err := checkReachable(filepath.Dir(dir), who); err != nil {
			return nil, err
		}
	}

	password, err := initCluster(ctx, binDir, dir, who, log)
	if err != nil {
		return nil, err
	}

	logPath := dir + ".log"
	var lastErr error
	// A port chosen free can be taken before postgres binds it; try a few.
	for attempt := 0; attempt < 3; attempt++ {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		s := &Server{dir: dir, port: port, password: password, logPath: logPath, exited: make(chan struct{})}
		if err := s.launch(binDir, who, opts.Ephemeral); err != nil {
			return nil, err
		}
		if err := s.waitReady(ctx); err != nil {
			lastErr = err
			_ = s.Stop(context.Background())
			if strings.Contains(s.logTail(), "could not bind") {
				continue
			}
			return nil, err
		}
		if err := s.ensureRoles(ctx); err != nil {
			_ = s.Stop(context.Background())
			return nil, err
		}
		log.Info("private PostgreSQL started", "data", dir, "addr", fmt.Sprintf("127.0.0.1:%d", port))
		return s, nil
	}
	return nil, lastErr
}

func initCluster(ctx context.Context, binDir, dir string, who runAs, log *slog.Logger) (string, error) {
	if _, err := os.Stat(filepath.Join(dir, "PG_VERSION")); err == nil {
		b, err := os.ReadFile(filepath.Join(dir, passwordFile))
		if err != nil {
			return "", fmt.Errorf("cluster in %s has no %s (was it created by Signpost?): %w", dir, passwordFile, err)
		}
		if who.cred != nil {
			// A cluster copied or restored by root must be handed back.
			if fi, err := os.Stat(dir); err == nil {
				if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) != who.uid {
					if err := chownTree(dir, who); err != nil {
						return "", err
					}
				}
			}
		}
		return strings.TrimSpace(string(b)), nil
	}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return "", fmt.Errorf("%s exists, is not empty and holds no PostgreSQL cluster; move it away or choose another SIGNPOST_DATA_DIR", dir)
	}
	log.Info("initialising private PostgreSQL cluster", "data", dir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("creating %s: %w", dir, err)
	}
	password, err := randomHex(24)
	if err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp("", "signpost-initdb-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	pwPath := filepath.Join(tmp, "pw")
	if err := os.WriteFile(pwPath, []byte(password+"\n"), 0o600); err != nil {
		return "", err
	}
	if who.cred != nil {
		for _, p := range []string{dir, tmp, pwPath} {
			if err := os.Chown(p, who.uid, who.gid); err != nil {
				return "", err
			}
		}
	}
	cmd := exec.CommandContext(ctx, filepath.Join(binDir, "initdb"),
		"-D", dir, "-U", Superuser, "--pwfile", pwPath,
		"--auth", "scram-sha-256", "-E", "UTF8", "--locale", "C", "--no-sync")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: who.cred}
	cmd.Dir = tmp
	if out, err := cmd.CombinedOutput(); err != nil {
		_ = os.RemoveAll(dir)
		return "", fmt.Errorf("initdb failed: %w\n%s", err, out)
	}
	if err := os.WriteFile(filepath.Join(dir, passwordFile), []byte(password+"\n"), 0o600); err != nil {
		return "", err
	}
	if who.cred != nil {
		if err := os.Chown(filepath.Join(dir, passwordFile), who.uid, who.gid); err != nil {
			return "", err
		}
	}
	return password, nil
}

func (s *Server) launch(binDir string, who runAs, ephemeral bool) error {
	args := []string{
		"-D", s.dir,
		"-p", strconv.Itoa(s.port),
		"-c", "listen_addresses=127.0.0.1",
		"-c", "unix_socket_directories=",
		"-c", "max_connections=200",
	}
	for _, setting := range privacyLogSettings {
		args = append(args, "-c", setting)
	}
	if ephemeral {
		args = append(args, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
	}
	logFile, err := os.OpenFile(s.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	cmd := exec.Command(filepath.Join(binDir, "postgres"), args...)
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	cmd.Dir = s.dir
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Credential: who.cred,
		// Own process group: a terminal's Ctrl-C reaches Signpost, which then
		// drains requests before stopping the database.
		Setpgid: true,
		// If Signpost dies without stopping it, the server shuts down fast.
		Pdeathsig: syscall.SIGINT,
	}
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return fmt.Errorf("starting postgres: %w", err)
	}
	s.cmd = cmd
	go func() {
		s.waitErr = cmd.Wait()
		logFile.Close()
		close(s.exited)
	}()
	return nil
}

func (s *Server) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	db := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(s.URL("postgres")), pgdriver.WithTimeout(2*time.Second)))
	defer db.Close()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		err := db.PingContext(ctx)
		if err == nil {
			return nil
		}
		select {
		case <-s.exited:
			return fmt.Errorf("postgres exited during start-up (%v); log %s:\n%s", s.waitErr, s.logPath, s.logTail())
		case <-ctx.Done():
			return fmt.Errorf("postgres did not become ready: %w (last error: %v); log %s:\n%s", ctx.Err(), err, s.logPath, s.logTail())
		case <-tick.C:
		}
	}
}

func (s *Server) logTail() string {
	f, err := os.Open(s.logPath)
	if err != nil {
		return ""
	}
	defer f.Close()
	b, _ := io.ReadAll(f)
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}

// ensureRoles creates the application's and the audit trail's roles, or
// resets their attributes, and gives the application a new password for
// this run (it is not kept anywhere but in this process).
func (s *Server) ensureRoles(ctx context.Context) error {
	pw, err := randomHex(24)
	if err != nil {
		return err
	}
	db := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(s.URL("postgres"))))
	defer db.Close()
	const limits = "NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
	for _, r := range []struct{ name, attrs string }{{AppRole, "LOGIN " + limits}, {AuditRole, "NOLOGIN " + limits}} {
		var exists bool
		if err := db.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)", r.name).Scan(&exists); err != nil {
			return fmt.Errorf("looking up role %s: %w", r.name, err)
		}
		verb := "ALTER"
		if !exists {
			verb = "CREATE"
		}
		if _, err := db.ExecContext(ctx, verb+" ROLE "+r.name+" "+r.attrs); err != nil {
			return fmt.Errorf("%s role %s: %w", strings.ToLower(verb), r.name, err)
		}
	}
	// The password is hashed by the server; statements are never logged.
	if _, err := db.ExecContext(ctx, "ALTER ROLE "+AppRole+" PASSWORD '"+pw+"'"); err != nil {
		return fmt.Errorf("setting the password of %s: %w", AppRole, err)
	}
	s.appPassword = pw
	return nil
}

// URL returns a connection URL for the named database.
func (s *Server) URL(database string) string {
	u := url.URL{
		Scheme:   "postgres",
		User:     url.UserPassword(Superuser, s.password),
		Host:     fmt.Sprintf("127.0.0.1:%d", s.port),
		Path:     "/" + database,
		RawQuery: "sslmode=disable",
	}
	return u.String()
}

// AppURL returns a connection URL for the named database as AppRole.
func (s *Server) AppURL(database string) string {
	u := url.URL{
		Scheme:   "postgres",
		User:     url.UserPassword(AppRole, s.appPassword),
		Host:     fmt.Sprintf("127.0.0.1:%d", s.port),
		Path:     "/" + database,
		RawQuery: "sslmode=disable",
	}
	return u.String()
}

var dbNameRE = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// CreateDatabase creates the named database if it does not exist, optionally
// as a copy of template (which brings the template's grants). A database
// made from a system template lets AppRole create tables in its public schema, which
// the superuser owns, so the application owns its tables but not the
// schema (a schema's owner may drop any table in it, the audit trail too).
func (s *Server) CreateDatabase(ctx context.Context, name, template string) error {
	if err := s.createDatabase(ctx, name, template); err != nil {
		return err
	}
	if template != "" && template != "template0" && template != "template1" {
		return nil // a copy of a prepared database has its grants
	}
	db := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(s.URL(name))))
	defer db.Close()
	if _, err := db.ExecContext(ctx, "GRANT USAGE, CREATE ON SCHEMA public TO "+AppRole); err != nil {
		return fmt.Errorf("letting %s create tables in %s: %w", AppRole, name, err)
	}
	return nil
}

func (s *Server) createDatabase(ctx context.Context, name, template string) error {
	if !dbNameRE.MatchString(name) || (template != "" && !dbNameRE.MatchString(template)) {
		return fmt.Errorf("invalid database name %q", name)
	}
	db := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(s.URL("postgres"))))
	defer db.Close()
	var exists bool
	if err := db.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	q := "CREATE DATABASE " + name
	if template != "" {
		q += " TEMPLATE " + template
	}
	_, err := db.ExecContext(ctx, q)
	return err
}

// Stop shuts the server down (fast shutdown: open sessions are ended,
// committed work is kept) and waits for it to exit.
func (s *Server) Stop(ctx context.Context) error {
	s.stopOnce.Do(func() {
		if s.cmd == nil || s.cmd.Process == nil {
			return
		}
		_ = s.cmd.Process.Signal(syscall.SIGINT)
		timer := time.NewTimer(20 * time.Second)
		defer timer.Stop()
		select {
		case <-s.exited:
		case <-ctx.Done():
			_ = s.cmd.Process.Kill()
			<-s.exited
			s.stopErr = ctx.Err()
		case <-timer.C:
			_ = s.cmd.Process.Signal(syscall.SIGQUIT)
			<-s.exited
			s.stopErr = errors.New("postgres did not stop within 20s; sent SIGQUIT")
		}
	})
	return s.stopErr
}

// PID is the postmaster's process id.
func (s *Server) PID() int {
	if s.cmd == nil || s.cmd.Process == nil {
		return 0
	}
	return s.cmd.Process.Pid
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func randomHex(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

func chownTree(dir string, who runAs) error {
	return filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, who.uid, who.gid)
	})
}

// checkReachable reports a clear error when the server's account cannot walk
// down to dir, which happens when Signpost is run as root from a private
// directory such as /root.
func checkReachable(dir string, who runAs) error {
	for p := dir; ; p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		if err != nil {
			return err
		}
		st, ok := fi.Sys().(*syscall.Stat_t)
		if ok {
			mode := fi.Mode().Perm()
			canSearch := mode&0o001 != 0 ||
				(int(st.Uid) == who.uid && mode&0o100 != 0) ||
				(int(st.Gid) == who.gid && mode&0o010 != 0)
			if !canSearch {
				return fmt.Errorf("PostgreSQL runs as the postgres user, which cannot enter %s (mode %v); set SIGNPOST_DATA_DIR to a directory it can reach, e.g. /var/tmp/signpost", p, mode)
			}
		}
		if p == filepath.Dir(p) {
			return nil
		}
	}
}
