package httpclient

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadTargets(t *testing.T) {
	dir := t.TempDir()
	body := filepath.Join(dir, "login.json")
	if err := os.WriteFile(body, []byte(`{"user":"u"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	httpFile := `# a comment
# name=home weight=5
GET http://127.0.0.1:1/

# name=login weight=3
POST http://127.0.0.1:1/login
Content-Type: application/json
@` + body + `

PUT http://127.0.0.1:1/item
X-Trace: 1
`
	ts, err := ReadTargets(strings.NewReader(httpFile), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 3 {
		t.Fatalf("%d targets: %+v", len(ts), ts)
	}
	want := []struct {
		name, method, url string
		weight            float64
	}{{"home", "GET", "http://127.0.0.1:1/", 5}, {"login", "POST", "http://127.0.0.1:1/login", 3}, {"target-3", "PUT", "http://127.0.0.1:1/item", 1}}
	for i, w := range want {
		if g := ts[i]; g.Name != w.name || g.Method != w.method || g.URL != w.url || g.Weight != w.weight {
			t.Errorf("target %d: %+v, want %+v", i+1, g, w)
		}
	}
	if string(ts[1].Body) != `{"user":"u"}` || ts[1].Header.Get("Content-Type") != "application/json" || ts[2].Header.Get("X-Trace") != "1" {
		t.Errorf("login body %q, header %v; item header %v", ts[1].Body, ts[1].Header, ts[2].Header)
	}
	jsonFile := `{"method":"GET","url":"http://127.0.0.1:1/","name":"home","weight":2}
{"method":"POST","url":"http://127.0.0.1:1/login","body":"eyJ1c2VyIjoidSJ9","header":{"Content-Type":["application/json"]}}
`
	ts, err = ReadTargets(strings.NewReader(jsonFile), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 2 || ts[0].Name != "home" || ts[0].Weight != 2 || ts[1].Name != "target-2" || string(ts[1].Body) != `{"user":"u"}` || ts[1].Weight != 1 {
		t.Errorf("json: %+v", ts)
	}
	for _, tc := range []struct{ name, file, format, want string }{
		{"empty", "", "", "no targets"},
		{"a format that is not vegeta's", "GET http://127.0.0.1:1/\n", "har", `format "har"`},
		{"a name a threshold cannot say", "# name=Log_In\nGET http://127.0.0.1:1/\n", "", `target 1 (Log_In): name "Log_In"`},
		{"a name twice", "# name=a\nGET http://127.0.0.1:1/\n\n# name=a\nGET http://127.0.0.1:1/b\n", "", `target 2 (a): name "a" is target 1's too`},
		{"a weight of 0", "# name=a weight=0\nGET http://127.0.0.1:1/\n", "", `line 1: weight "0": want a number above 0`},
		{"a URL that is not http", "GET ftp://127.0.0.1/\n", "", "target 1: \"ftp://127.0.0.1/\" is not an http or https URL"},
		{"a bad header", "GET http://127.0.0.1:1/\nnocolon\n", "", "target 1: bad header"},
		{"a bad header holding a secret, not shown", "GET http://127.0.0.1:1/\nAuthorization Bearer s3cret\n", "", "the line is not shown"},
		{"a URL's password, redacted", "GET http://u:s3cret@127.0.0.1:bad/\n", "", "target 1:"},
		{"bad json", "{\"url\": 3}\n", "", "target 1: json"},
		{"a json URL's password, redacted", `{"url":"ftp://u:s3cret@127.0.0.1/"}`, "", "is not an http or https URL"},
		{"a json weight below 0", `{"url":"http://127.0.0.1:1/","weight":-1}`, "", "target 1: weight -1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadTargets(strings.NewReader(tc.file), tc.format)
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "s3cret") {
				t.Errorf("%v, want %q and no secret", err, tc.want)
			}
		})
	}
}

// TestMixFollowsWeights: over any 10 hits of weights 5, 3 and 2, each
// target gets its share exactly, spread out rather than in runs.
func TestMixFollowsWeights(t *testing.T) {
	m := newMix([]Target{{Weight: 5}, {Weight: 3}, {Weight: 2}})
	for round := range 3 {
		counts := make([]int, 3)
		run, longest, prev := 0, 0, -1
		for range 10 {
			i := m.next()
			counts[i]++
			if i == prev {
				run++
			} else {
				run = 1
			}
			longest, prev = max(longest, run), i
		}
		if counts[0] != 5 || counts[1] != 3 || counts[2] != 2 || longest > 2 {
			t.Errorf("round %d: counts %v, longest run %d; want 5 3 2, runs of at most 2", round, counts, longest)
		}
	}
}

// FuzzReadTargets: whatever a targets file holds, ReadTargets returns
// targets that an attack can send, or an error; it never panics.
func FuzzReadTargets(f *testing.F) {
	f.Add("# name=home weight=5\nGET http://127.0.0.1:1/\nX-A: 1\n\nPOST http://127.0.0.1:1/b\n", "")
	f.Add(`{"method":"GET","url":"http://127.0.0.1:1/","name":"a","weight":2}`, "json")
	f.Add("# weight=x\nGET http://127.0.0.1:1/\n", "http")
	f.Fuzz(func(t *testing.T, file, format string) {
		ts, err := ReadTargets(strings.NewReader(file), format)
		if err != nil {
			return
		}
		for i, tg := range ts {
			if _, err := CheckURL(tg.URL); err != nil || !(tg.Weight > 0) || len(ts) > 1 && !targetName.MatchString(tg.Name) {
				t.Fatalf("target %d accepted: %+v", i+1, tg)
			}
		}
	})
}
