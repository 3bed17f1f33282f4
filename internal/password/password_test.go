package password

import "testing"

// fast keeps tests quick; production uses Default.
var fast = Params{Memory: 1024, Time: 1, Threads: 1, KeyLen: 32}

func TestHashVerify(t *testing.T) {
	h, err := Hash("korrekt hest batteri", fast)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := Verify("korrekt hest batteri", h); err != nil || !ok {
		t.Fatalf("Verify(right) = %v, %v; want true, nil", ok, err)
	}
	if ok, _ := Verify("forkert", h); ok {
		t.Fatal("Verify(wrong) = true")
	}
	h2, _ := Hash("korrekt hest batteri", fast)
	if h == h2 {
		t.Fatal("two hashes of the same password are equal: salt not random")
	}
}

func TestVerifyMalformed(t *testing.T) {
	for _, enc := range []string{"", "plain", "$argon2i$v=19$m=1,t=1,p=1$AA$AA", "$argon2id$v=19$m=x$AA$AA", "$argon2id$v=19$m=1,t=1,p=1$!!$AA"} {
		if _, err := Verify("x", enc); err == nil {
			t.Errorf("Verify(%q) accepted a malformed hash", enc)
		}
	}
}

func FuzzVerify(f *testing.F) {
	f.Add("pw", "$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$a2V5")
	f.Add("pw", "$argon2id$v=19$m=8,t=1,p=0$c2FsdHNhbHQ$a2V5")
	f.Fuzz(func(t *testing.T, pw, enc string) {
		_, _ = Verify(pw, enc) // must never panic, whatever is stored
	})
}
