package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/signpost/signpost/access"
	"github.com/signpost/signpost/config"
)

func runAdmin(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprintln(stderr, "usage: signpost admin create --email ADDRESS [--name NAME] --password-stdin")
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			return nil
		}
		return errUsage
	}
	fs := newFlagSet("admin create", "admin create --email ADDRESS [--name NAME] --password-stdin",
		"Creates an administrator account, e.g. the first one. The password is read from standard\n"+
			"input (one line) so that it never appears in the process list or shell history.")
	cf := addConfigFlags(fs, false)
	email := fs.String("email", "", "the administrator's e-mail address")
	name := fs.String("name", "", "their name")
	stdin := fs.Bool("password-stdin", false, "read the password from standard input")
	if err := parseFlags(fs, args[1:], stdout, stderr); err != nil {
		return err
	}
	if *email == "" || !*stdin {
		fmt.Fprintln(stderr, "admin create needs --email and --password-stdin")
		return errUsage
	}
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return err
	}
	pw := strings.TrimRight(line, "\r\n")
	return withDatabase(ctx, cf, stderr, func(ctx context.Context, _ config.Config, db *database, log *slog.Logger) error {
		if _, err := db.MigrateUp(ctx); err != nil {
			return err
		}
		svc := access.NewService(db.Store, access.NewRolePolicy(db.Store, log))
		a, err := svc.Bootstrap(ctx, access.AccountInput{Email: *email, Name: *name, Role: access.RoleAdmin, Password: pw}, false)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "created administrator %s\n", a.Email)
		return nil
	})
}
