// Go benchmark clients: `go-bench IMPL MODE URL N WARMUP THREADS`; modes w1, w3 (goroutines),
// cold, mem (bench/README.md).
//
// IMPL `docspace`: the Go binding (bindings/go) as a Go program would use it. IMPL `nethttp`:
// the anchor, what a Go program would do without it: net/http's default transport (kept-alive
// connection), encoding/json bodies and answers, the confirm cookie checked, the code from
// github.com/pquerna/otp (totp.GenerateCode, which decodes the base32 secret on each call, as
// that library's API does).
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	docspace "github.com/docspace-auth/docspace-auth/bindings/go"
	"github.com/pquerna/otp/totp"
)

// flower is one client handle: flow() runs one login-by-code flow and returns the token's
// length; close() frees the handle.
type flower interface {
	flow() int
	close()
}

type dsClient struct {
	c    *docspace.Client
	totp *docspace.Totp
}

func newDocspace(url string) flower {
	t, err := docspace.NewTotp(secret, docspace.AlgorithmSHA1, 6, 30*time.Second)
	check(err)
	c, err := docspace.NewClient(url, nil)
	check(err)
	return &dsClient{c, t}
}

func (d *dsClient) flow() int { return flow(d.c, d.totp) }
func (d *dsClient) close()    { d.c.Close(); d.totp.Close() }

type credentials struct {
	UserName string `json:"userName"`
	Password string `json:"password"`
	Code     string `json:"code,omitempty"`
	Session  bool   `json:"session"`
}

type authAnswer struct {
	Response struct {
		Token      *string `json:"token"`
		Expires    string  `json:"expires"`
		Tfa        bool    `json:"tfa"`
		Sms        bool    `json:"sms"`
		ConfirmURL string  `json:"confirmUrl"`
	} `json:"response"`
}

type netClient struct {
	http     *http.Client
	loginURL string
}

func newNetHTTP(url string) flower {
	return &netClient{&http.Client{Timeout: 30 * time.Second}, url + "/api/2.0/authentication"}
}

func (n *netClient) post(url string, body credentials) (*authAnswer, *http.Response) {
	data, err := json.Marshal(body)
	check(err)
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(data))
	check(err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := n.http.Do(req)
	check(err)
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		check(fmt.Errorf("HTTP %d", resp.StatusCode))
	}
	raw, err := io.ReadAll(resp.Body)
	check(err)
	var answer authAnswer
	check(json.Unmarshal(raw, &answer))
	return &answer, resp
}

func (n *netClient) flow() int {
	answer, resp := n.post(n.loginURL, credentials{UserName: user, Password: password})
	r := answer.Response
	if r.Token != nil || !r.Tfa || !strings.Contains(r.ConfirmURL, "type=TfaAuth") {
		check(fmt.Errorf("expected a TfaAuth challenge"))
	}
	found := false
	for _, c := range resp.Cookies() {
		found = found || (c.Name == "asc_confirm_key_TfaAuth" && c.Value != "")
	}
	if !found {
		check(fmt.Errorf("no confirm key cookie"))
	}
	code, err := totp.GenerateCode(secret, time.Now())
	check(err)
	answer, _ = n.post(n.loginURL+"/"+code, credentials{UserName: user, Password: password, Code: code})
	if answer.Response.Token == nil {
		check(fmt.Errorf("no token"))
	}
	return len(*answer.Response.Token)
}

func (n *netClient) close() { n.http.CloseIdleConnections() }

const (
	user     = "bench@example.com"
	password = "bench-password-1"
	secret   = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
)

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "go-bench:", err)
		os.Exit(1)
	}
}

// flow is one login-by-code flow; it returns the token's length.
func flow(c *docspace.Client, gen *docspace.Totp) int {
	outcome, err := c.Login(user, password)
	check(err)
	challenge, ok := outcome.(*docspace.CodeRequired)
	if !ok {
		check(fmt.Errorf("expected CodeRequired, got %T", outcome))
	}
	challenge.Challenge.Close()
	code, err := gen.CodeAt(time.Now())
	check(err)
	session, err := c.LoginWithCode(user, password, code)
	check(err)
	token, err := session.Token()
	check(err)
	session.Close()
	return len(token)
}

func statusKiB(field string) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), field); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return 0
}

func percentile(sorted []float64, p float64) float64 {
	i := int(float64(len(sorted)-1)*p + 0.5)
	if i >= len(sorted) {
		i = len(sorted) - 1
	}
	return sorted[i]
}

func arg(i, def int) int {
	if len(os.Args) > i {
		if v, err := strconv.Atoi(os.Args[i]); err == nil {
			return v
		}
	}
	return def
}

func main() {
	impl, mode, url := os.Args[1], os.Args[2], strings.TrimRight(os.Args[3], "/")
	n, warmup, threads := arg(4, 1000), arg(5, 100), arg(6, 1)
	newClient := map[string]func(string) flower{"docspace": newDocspace, "nethttp": newNetHTTP}[impl]
	if newClient == nil {
		check(fmt.Errorf("unknown implementation %s", impl))
	}
	client := newClient(url)
	switch mode {
	case "cold":
		client.flow()
		fmt.Println(`{"ok":true}`)
	case "w1":
		for i := 0; i < warmup; i++ {
			client.flow()
		}
		times := make([]float64, n)
		start := time.Now()
		for i := range times {
			t := time.Now()
			if client.flow() == 0 {
				os.Exit(1)
			}
			times[i] = float64(time.Since(t).Nanoseconds()) / 1e3
		}
		total := time.Since(start).Seconds()
		sort.Float64s(times)
		fmt.Printf(`{"n":%d,"median_us":%.2f,"p99_us":%.2f,"flows_per_s":%.1f,"rss_kib":%d,"hwm_kib":%d}`+"\n",
			n, percentile(times, 0.5), percentile(times, 0.99), float64(n)/total, statusKiB("VmRSS:"), statusKiB("VmHWM:"))
	case "w3":
		// Goroutines sharing one client (both are documented safe for concurrent use).
		perThread := n / threads
		var ready, done sync.WaitGroup
		startGate := make(chan struct{})
		ready.Add(threads)
		done.Add(threads)
		for g := 0; g < threads; g++ {
			go func() {
				defer done.Done()
				for i := 0; i < warmup; i++ {
					client.flow()
				}
				ready.Done()
				<-startGate
				for i := 0; i < perThread; i++ {
					client.flow()
				}
			}()
		}
		ready.Wait()
		start := time.Now()
		close(startGate)
		done.Wait()
		total := time.Since(start).Seconds()
		fmt.Printf(`{"threads":%d,"n":%d,"flows_per_s":%.1f}`+"\n", threads, perThread*threads, float64(perThread*threads)/total)
	case "mem":
		client.flow()
		base := statusKiB("VmRSS:")
		extra := make([]flower, n)
		for i := range extra {
			extra[i] = newClient(url)
		}
		idle := statusKiB("VmRSS:")
		for _, c := range extra {
			c.flow()
		}
		used := statusKiB("VmRSS:")
		fmt.Printf(`{"extra":%d,"rss_base_kib":%d,"rss_idle_kib":%d,"rss_used_kib":%d,"per_handle_idle_kib":%.1f,"per_handle_used_kib":%.1f}`+"\n",
			n, base, idle, used, float64(idle-base)/float64(n), float64(used-base)/float64(n))
		for _, c := range extra {
			c.close()
		}
	default:
		check(fmt.Errorf("unknown mode %s", mode))
	}
	client.close()
}
