package load

import (
	"context"
	"testing"
	"time"
	"unsafe"

	"github.com/concbench/concbench/harness/httpclient"
	vegeta "github.com/tsenart/vegeta/v12/lib"
	"golang.org/x/sys/unix"
)

// TestSenderOfAttack: a plain HTTP/1.1 attack through the
// default client sends from the event loop; net/http, and TLS, from
// workers.
func TestSenderOfAttack(t *testing.T) {
	for _, c := range []struct {
		client, url string
		loop        bool
	}{
		{"fasthttp", "http://127.0.0.1:1/", true},
		{"net/http", "http://127.0.0.1:1/", false},
		{"fasthttp", "https://127.0.0.1:1/", false},
	} {
		m, err := httpclient.NewMix(c.client, httpclient.Request{Method: "GET", URL: c.url}, nil, 8, time.Second)
		if err != nil {
			t.Fatal(err)
		}
		_, loop := newHitSender(&sending{mix: m}).(*eventLoop)
		m.CloseIdleConnections()
		if loop != c.loop {
			t.Errorf("%s to %s: event loop %v, want %v", c.client, c.url, loop, c.loop)
		}
	}
}

// TestEpollWait: each way of waiting (epoll_pwait2 or, on older kernels,
// epoll_pwait; keeping the processor or not) times out empty, and returns
// the descriptor that became ready; a raw wait without a bound returns
// (it is capped at maxRawWait; the check allows a loaded machine a second).
func TestEpollWait(t *testing.T) {
	defer noPwait2.Store(noPwait2.Load())
	epfd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(epfd)
	efd, err := unix.Eventfd(0, unix.EFD_NONBLOCK|unix.EFD_CLOEXEC)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(efd)
	if err := unix.EpollCtl(epfd, unix.EPOLL_CTL_ADD, efd, &unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(efd)}); err != nil {
		t.Fatal(err)
	}
	events := make([]unix.EpollEvent, 4)
	for _, pwait := range []bool{true, false} {
		for _, raw := range []bool{false, true} {
			noPwait2.Store(!pwait)
			start := time.Now()
			if n, err := epollWait(epfd, events, 2*time.Millisecond, raw); n != 0 || err != nil && err != unix.EINTR {
				t.Fatalf("pwait2 %v, raw %v: an empty wait gave %d, %v", pwait, raw, n, err)
			}
			if took := time.Since(start); took > time.Second {
				t.Errorf("pwait2 %v, raw %v: a 2 ms wait took %v", pwait, raw, took)
			}
			if raw {
				start = time.Now()
				epollWait(epfd, events, -1, true) //nolint:errcheck // EINTR is a return too
				if took := time.Since(start); took > time.Second {
					t.Errorf("pwait2 %v: a raw wait without a bound took %v", pwait, took)
				}
			}
			one := uint64(1)
			unix.Write(efd, (*[8]byte)(unsafe.Pointer(&one))[:])
			n, err := epollWait(epfd, events, -1, raw)
			if n != 1 || err != nil || int(events[0].Fd) != efd {
				t.Fatalf("pwait2 %v, raw %v: a ready descriptor gave %d, %v", pwait, raw, n, err)
			}
			var b [8]byte
			unix.Read(efd, b[:])
		}
	}
}

// TestEventLoopDialsForTheFirstRate: before a 20,000/s attack begins, the
// event loop has dialled the 200 connections its first rate needs at
// coldLatency a request, all of them through.
func TestEventLoopDialsForTheFirstRate(t *testing.T) {
	s := slowTarget(t, 0)
	m, err := httpclient.NewMix("fasthttp", httpclient.Request{Method: "GET", URL: s.URL()}, nil, 256, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer m.CloseIdleConnections()
	pacer := vegeta.ConstantPacer{Freq: 20000, Per: time.Second}
	l, ok := newHitSender(&sending{mix: m, maxWorkers: 256, sched: newSchedule(pacer, time.Second)}).(*eventLoop)
	if !ok {
		t.Fatal("a plain HTTP/1.1 attack does not send from the event loop")
	}
	l.connect(context.Background())
	defer l.release()
	if l.open != 200 || l.dialling() != 0 {
		t.Errorf("%d connections open, %d dialling: want 200 dialled", l.open, l.dialling())
	}
}
