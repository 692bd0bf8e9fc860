package load

import (
	"errors"
	"io"
	"strings"
	"testing"
)

// TestResponseReader feeds responses of every framing in two pieces, cut
// at every byte, and then in one: each is whole exactly at its end, with
// its status and body bytes, and the bytes after it are left unread.
func TestResponseReader(t *testing.T) {
	cases := []struct {
		name, response string
		head           bool // to a HEAD request
		code           int
		body           int64
		closeAfter     bool
	}{
		{"length", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", false, 200, 5, false},
		{"empty", "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n", false, 201, 0, false},
		{"chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\nA\r\n0123456789\r\n0\r\nX-Sum: 1\r\n\r\n", false, 200, 15, false},
		{"chunked no trailers", "HTTP/1.1 500 Internal Server Error\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", false, 500, 3, false},
		{"interim first", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", false, 200, 2, false},
		{"no content", "HTTP/1.1 204 No Content\r\n\r\n", false, 204, 0, false},
		{"head", "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n", true, 200, 0, false},
		{"close", "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 4\r\n\r\nbusy", false, 503, 4, true},
	}
	const next = "HTTP/1.1 200 OK\r\n" // the next response's bytes, pipelined
	heads := newHeadParser()
	for _, c := range cases {
		for cut := 0; cut <= len(c.response); cut++ {
			r := &responseReader{heads: heads}
			r.reset(c.head)
			stream := c.response + next
			used, whole, err := r.feed([]byte(stream[:cut]))
			if err != nil || whole && cut < len(c.response) || used != cut {
				t.Fatalf("%s, cut at %d: used %d, whole %v, err %v in the first piece", c.name, cut, used, whole, err)
			}
			if !whole {
				var more int
				more, whole, err = r.feed([]byte(stream[cut:]))
				used += more
			}
			if err != nil || !whole || used != len(c.response) {
				t.Fatalf("%s, cut at %d: used %d of %d, whole %v, err %v", c.name, cut, used, len(c.response), whole, err)
			}
			if r.code != c.code || r.bodyBytes != c.body || r.closeAfter != c.closeAfter {
				t.Fatalf("%s, cut at %d: code %d, body %d, close %v; want %d, %d, %v", c.name, cut, r.code, r.bodyBytes, r.closeAfter, c.code, c.body, c.closeAfter)
			}
		}
	}
}

// TestResponseReaderUntilClose: a body with neither a length nor chunks
// runs to the connection's end, and then the response is whole.
func TestResponseReaderUntilClose(t *testing.T) {
	r := &responseReader{heads: newHeadParser()}
	r.reset(false)
	if _, whole, err := r.feed([]byte("HTTP/1.0 200 OK\r\n\r\nsome body")); whole || err != nil {
		t.Fatalf("whole %v, err %v before the end", whole, err)
	}
	if whole, err := r.eof(); !whole || err != nil || r.bodyBytes != 9 || !r.closeAfter {
		t.Errorf("at the end: whole %v, err %v, body %d, close %v; want whole, 9 bytes, closed", whole, err, r.bodyBytes, r.closeAfter)
	}
}

// TestResponseReaderErrors: a connection that ends mid-response, a
// malformed head or chunk, and a head past its bound are errors; one that
// ends before any byte is io.EOF (a kept-alive connection the server
// closed, whose request may be sent again).
func TestResponseReaderErrors(t *testing.T) {
	heads := newHeadParser()
	fresh := func() *responseReader { r := &responseReader{heads: heads}; r.reset(false); return r }
	if whole, err := fresh().eof(); whole || err != io.EOF {
		t.Errorf("closed before answering: whole %v, err %v; want io.EOF", whole, err)
	}
	r := fresh()
	r.feed([]byte("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort"))
	if whole, err := r.eof(); whole || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("closed mid-body: whole %v, err %v; want io.ErrUnexpectedEOF", whole, err)
	}
	for name, bad := range map[string]string{
		"head":       "HTTP/1.1 abc\r\nContent-Length: 1\r\n\r\n",
		"chunk size": "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
		"chunk end":  "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n",
		"long head":  "HTTP/1.1 200 OK\r\nX-Long: " + strings.Repeat("a", maxHead) + "\r\n\r\n",
	} {
		if _, whole, err := fresh().feed([]byte(bad)); whole || err == nil {
			t.Errorf("%s: whole %v, err %v; want an error", name, whole, err)
		}
	}
}

// TestResponseReaderAllocatesNothing: reading a response, once the
// reader's buffers have grown, allocates nothing.
func TestResponseReaderAllocatesNothing(t *testing.T) {
	r := &responseReader{heads: newHeadParser()}
	resp := []byte("HTTP/1.1 200 OK\r\nDate: Mon, 30 Nov 2026 12:00:00 GMT\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok")
	allocs := testing.AllocsPerRun(100, func() {
		r.reset(false)
		if _, whole, err := r.feed(resp[:20]); whole || err != nil {
			t.Fatal(whole, err)
		}
		if _, whole, err := r.feed(resp[20:]); !whole || err != nil {
			t.Fatal(whole, err)
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations a response, want 0", allocs)
	}
}
