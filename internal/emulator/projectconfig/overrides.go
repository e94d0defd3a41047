package projectconfig

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// The Supabase CLI reads config.toml through viper with the prefix
// SUPABASE and "." read as "_" (pkg/config loadFromFile), so every key it
// knows can be replaced from the environment: SUPABASE_AUTH_SITE_URL for
// auth.site_url, SUPABASE_AUTH_EXTERNAL_GITHUB_ENABLED for
// auth.external.github.enabled. viper knows a key when the CLI's config
// template, the project's file or the CLI's config struct has it; the
// struct names no provider, test OTP or optional table (passkey,
// webauthn, hooks), so those keys are known only where the file or the
// template writes them. Values are converted as mapstructure's weak
// typing converts them: "true"/"1" for a bool, a number for an integer,
// a comma-separated list for a list.

// envName is the variable that replaces key.
func envName(key string) string {
	return "SUPABASE_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

// overrides replaces the settings of f named by SUPABASE_* variables.
// written reports whether the file or the CLI's template has a key, for
// the keys only they make known.
type overrides struct {
	getenv  func(string) string
	written func(key string) bool
	// applied lists the variables used, for the report.
	applied []string
}

func (o *overrides) apply(f *file) error {
	return o.walk(reflect.ValueOf(&f.Auth).Elem(), "auth", false)
}

// walk visits v, the table key; optional is true inside a table that only
// the file or the template makes known.
func (o *overrides) walk(v reflect.Value, key string, optional bool) error {
	switch v.Kind() {
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			name := t.Field(i).Tag.Get("toml")
			switch {
			case t.Field(i).Anonymous:
				name = key // embedded: its keys are the table's own
			case name == "":
				continue
			default:
				name = key + "." + name
			}
			if err := o.walk(v.Field(i), name, optional); err != nil {
				return err
			}
		}
		return nil
	case reflect.Pointer:
		if v.IsNil() {
			return nil
		}
		return o.walk(v.Elem(), key, true)
	case reflect.Map:
		for _, k := range v.MapKeys() {
			entry := reflect.New(v.Type().Elem()).Elem()
			entry.Set(v.MapIndex(k))
			if err := o.walk(entry, key+"."+k.String(), true); err != nil {
				return err
			}
			v.SetMapIndex(k, entry)
		}
		return nil
	}
	if optional && !o.written(key) {
		return nil
	}
	raw := o.getenv(envName(key))
	if raw == "" {
		return nil
	}
	if err := setWeak(v, raw); err != nil {
		return fmt.Errorf("%s (from %s): %v", key, envName(key), err)
	}
	o.applied = append(o.applied, envName(key))
	return nil
}

// setWeak sets a leaf from a variable's text as mapstructure's weakly
// typed decoding does (the CLI's settings are unsigned integers).
func setWeak(v reflect.Value, raw string) error {
	switch v.Kind() {
	case reflect.String:
		v.SetString(raw)
	case reflect.Bool:
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return fmt.Errorf("%q is not a boolean", raw)
		}
		v.SetBool(b)
	case reflect.Int:
		n, err := strconv.ParseUint(raw, 0, 32)
		if err != nil {
			return fmt.Errorf("%q is not a whole number", raw)
		}
		v.SetInt(int64(n))
	case reflect.Slice:
		v.Set(reflect.ValueOf(strings.Split(raw, ",")))
	default:
		return fmt.Errorf("cannot be set from the environment")
	}
	return nil
}

// present reports whether the table t has the dotted key.
func present(t map[string]any, key string) bool {
	parts := strings.Split(key, ".")
	for _, k := range parts[:len(parts)-1] {
		next, ok := t[k].(map[string]any)
		if !ok {
			return false
		}
		t = next
	}
	_, ok := t[parts[len(parts)-1]]
	return ok
}
