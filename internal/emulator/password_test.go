package emulator

import "testing"

// Public test vectors: argon2 PHC strings of "test", Firebase's scrypt
// example of "mytestpassword", OpenBSD's bcrypt vector of "U*U".
func TestImportedHashes(t *testing.T) {
	cases := []struct{ hash, password string }{
		{"$argon2i$v=19$m=16,t=2,p=1$bGJRWThNOHJJTVBSdHl2dQ$NfEnUOuUpb7F2fQkgFUG4g", "test"},
		{"$argon2id$v=19$m=32,t=3,p=2$SFVpOWJ0eXhjRzVkdGN1RQ$RXnb8rh7LaDcn07xsssqqulZYXOM/EUCEFMVcAcyYVk", "test"},
		{"$fbscrypt$v=1,n=14,r=8,p=1,ss=Bw==,sk=ou9tdYTGyYm8kuR6Dt0Bp0kDuAYoXrK16mbZO4yGwAn3oLspjnN0/c41v8xZnO1n14J3MjKj1b2g6AUCAlFwMw==$C0sHCg9ek77hsg==$zKVTMvnWVw5BBOZNUdnsalx4c4c7y/w7IS5p6Ut2+CfEFFlz37J9huyQfov4iizN8dbjvEJlM5tQaJP84+hfTw==", "mytestpassword"},
		{"$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", "U*U"},
	}
	for _, c := range cases {
		if !validHash(c.hash) {
			t.Errorf("validHash(%.20s) = false", c.hash)
		}
		if !checkPassword(c.hash, c.password) {
			t.Errorf("%.20s: right password refused", c.hash)
		}
		if checkPassword(c.hash, c.password+"1") {
			t.Errorf("%.20s: wrong password accepted", c.hash)
		}
	}
	for _, bad := range []string{
		"not-a-hash",
		"$argon2d$v=19$m=16,t=2,p=1$bGJRWThNOHJJTVBSdHl2dQ$NfEnUOuUpb7F2fQkgFUG4g",
		"$argon2id$v=16$m=16,t=2,p=1$bGJRWThNOHJJTVBSdHl2dQ$NfEnUOuUpb7F2fQkgFUG4g",
		"$argon2id$v=19$m=16,t=2,p=1$!!!$NfEnUOuUpb7F2fQkgFUG4g",
		"$fbscrypt$v=2,n=14,r=8,p=1,ss=Bw==,sk=AA==$C0sHCg9ek77hsg==$AA==",
		"$fbscrypt$v=1,n=0,r=8,p=1,ss=Bw==,sk=AA==$C0sHCg9ek77hsg==$AA==",
	} {
		if validHash(bad) {
			t.Errorf("validHash(%q) = true", bad)
		}
	}
}
