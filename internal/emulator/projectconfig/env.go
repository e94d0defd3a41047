package projectconfig

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/joho/godotenv"
)

// projectEnvironment is the environment `supabase start` reads the project
// with (the CLI's pkg/config loadNestedEnv): before reading config.toml
// the CLI loads, in the supabase directory (here: the file's directory)
// and then in the project directory above it, the files
// .env.$SUPABASE_ENV.local, .env.local (not when SUPABASE_ENV is "test"),
// .env.$SUPABASE_ENV and .env, SUPABASE_ENV being "development" unless the
// environment says otherwise. godotenv never replaces a variable already
// set, so the process environment wins over every file and the first file
// naming a variable wins over the later ones. The files are parsed with
// the CLI's parser, godotenv v1.5.1, whose ${VAR} expansion reads the same
// file only, so reading them without setting them gives the same values.
//
// One difference: getenv cannot tell a variable set to "" from an unset
// one, so an empty variable does not hide a file's value here as it does
// for the CLI.
func projectEnvironment(configPath string, getenv func(string) string) (func(string) string, error) {
	abs, err := filepath.Abs(configPath)
	if err != nil {
		return nil, err
	}
	stage := getenv("SUPABASE_ENV")
	if stage == "" {
		stage = "development"
	}
	names := []string{".env." + stage + ".local"}
	if stage != "test" {
		names = append(names, ".env.local")
	}
	names = append(names, ".env."+stage, ".env")
	supabaseDir := filepath.Dir(abs)
	files := map[string]string{}
	for _, dir := range []string{supabaseDir, filepath.Dir(supabaseDir)} {
		for _, name := range names {
			path := filepath.Join(dir, name)
			vars, err := godotenv.Read(path)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				return nil, envFileError(path, err)
			}
			for k, v := range vars {
				if _, seen := files[k]; !seen {
					files[k] = v
				}
			}
		}
	}
	return func(k string) string {
		if v := getenv(k); v != "" {
			return v
		}
		return files[k]
	}, nil
}

// envFileError names a .env file that cannot be read without quoting it:
// godotenv's messages can carry the file's text, secrets included, which
// the CLI holds back too when a message spans lines.
func envFileError(path string, err error) error {
	var pathErr *os.PathError
	if errors.As(err, &pathErr) {
		return fmt.Errorf("%s: %v", path, pathErr.Err)
	}
	if msg := err.Error(); !strings.Contains(msg, "\n") && !strings.Contains(msg, "near") {
		return fmt.Errorf("%s: not a valid environment file: %s", path, msg)
	}
	return fmt.Errorf("%s: not a valid environment file (syntax error)", path)
}
