//go:build linux

package load

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"runtime"
	"slices"
	"sync/atomic"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// eventLoop sends an attack's schedule as wrk2 does: one goroutine,
// locked to its thread, writes each hit's request on a nonblocking
// connection when it falls due, and waits on every connection at once
// with epoll, reading each response as it arrives. No goroutine is woken
// for a request, and nothing is allocated for one. Against workers
// (openLoop), each woken by a timer and by the poller for every request,
// it spends half the CPU a request at 5,000/s on a 2-core VM, where each
// wake-up is a context switch of the hypervisor's (47.7 against 91-98
// µs); keeping its processor while it waits (epollWait) brought it to
// wrk2's (30.0 against 31.1 µs, scripts/peers.sh).
//
// It sends the hits due at most once a millisecond (sendEvery), as
// wrk2's timers do: the requests due together go out together, and the
// target and the loop wake once for them. A hit is so sent up to a
// millisecond after its time, which its latency includes; at rates under
// a thousand a second the hits are far apart, and each is sent on time.
//
// It speaks HTTP/1.1 in the clear, one request at a time on each
// connection (no pipelining), and dials another connection when a hit
// falls due with every one busy, up to maxWorkers: past that, the hits
// wait and are late. A kept-alive connection that the server closed is
// dialled again for an idempotent request, as fasthttp does.
type eventLoop struct {
	*sending
	epfd, wake int // the epoll set; an eventfd that halts the loop
	addrs      []unix.Sockaddr
	addrOf     []int    // each target's address, an index of addrs
	requests   [][]byte // each target's request, as it goes on the wire
	isHead     []bool   // each target's request is a HEAD
	idempotent []bool   // each target's request may be sent twice
	parser     *headParser
	buf        []byte // each read's
	rawWait    bool   // epollWait keeps the loop's processor: Go has another

	conns   map[int32]*loopConn // by file descriptor
	idle    [][]*loopConn       // by address
	open    int                 // connections, dialling or dialled
	closing []int               // descriptors to close before the next wait
	halted  bool                // no more hits are sent
	next    hit                 // the next hit, taken from the schedule
	hasNext bool
	sentAt  time.Duration // when hits were last sent, since began
	scanAt  time.Duration // when to next look for requests past their timeout
	out     chan sent
}

// sendEvery is how often, at most, the loop sends the hits that are due.
const sendEvery = time.Millisecond

// loopConn is one of the loop's connections and the request it carries.
type loopConn struct {
	fd         int
	addr       int
	dialling   bool
	busy       bool   // a request in flight
	reused     bool   // a response came on it before this request
	wantsWrite bool   // registered for EPOLLOUT
	pending    []byte // the request's bytes not yet written
	h          hit
	start      time.Duration
	resp       responseReader
}

// newEventLoop returns an event loop sending s's mix, or false where it
// cannot: a target over TLS or HTTP/2, the net/http client, or an
// address that does not resolve (the workers then report it, request by
// request).
func newEventLoop(s *sending) (hitSender, bool) {
	l := &eventLoop{sending: s, conns: map[int32]*loopConn{}, parser: newHeadParser(), epfd: -1, wake: -1, buf: make([]byte, 64<<10),
		rawWait: runtime.GOMAXPROCS(0) >= 2}
	where := map[string]int{}
	for i := range s.mix.Len() {
		w, ok := s.mix.Wire(i)
		if !ok {
			return nil, false
		}
		a, seen := where[w.Addr]
		if !seen {
			tcp, err := net.ResolveTCPAddr("tcp", w.Addr)
			if err != nil {
				return nil, false
			}
			a = len(l.addrs)
			where[w.Addr] = a
			l.addrs = append(l.addrs, sockaddr(tcp))
		}
		l.addrOf, l.requests = append(l.addrOf, a), append(l.requests, w.Bytes)
		l.isHead, l.idempotent = append(l.isHead, w.Head), append(l.idempotent, w.Idempotent)
	}
	l.idle = make([][]*loopConn, len(l.addrs))
	return l, true
}

func sockaddr(a *net.TCPAddr) unix.Sockaddr {
	if ip4 := a.IP.To4(); ip4 != nil {
		return &unix.SockaddrInet4{Port: a.Port, Addr: [4]byte(ip4)}
	}
	sa := &unix.SockaddrInet6{Port: a.Port, Addr: [16]byte(a.IP.To16())}
	if a.Zone != "" {
		if ifi, err := net.InterfaceByName(a.Zone); err == nil {
			sa.ZoneId = uint32(ifi.Index)
		}
	}
	return sa
}

// connect makes the epoll set and dials the first connections, shared
// over the addresses, waiting up to 5 s for them.
func (l *eventLoop) connect(ctx context.Context) {
	defer l.closeDropped()
	var err error
	if l.epfd, err = unix.EpollCreate1(unix.EPOLL_CLOEXEC); err != nil {
		panic(fmt.Sprintf("epoll: %v", err)) // only past the process's file limit
	}
	if l.wake, err = unix.Eventfd(0, unix.EFD_NONBLOCK|unix.EFD_CLOEXEC); err != nil {
		panic(fmt.Sprintf("eventfd: %v", err))
	}
	l.watch(l.wake, unix.EPOLLIN, unix.EPOLL_CTL_ADD)
	each := max(1, l.firstConnections()/len(l.addrs))
	for a := range l.addrs {
		for range each {
			if _, err := l.dial(a); err != nil {
				break
			}
		}
	}
	for deadline := time.Now().Add(5 * time.Second); l.dialling() > 0 && ctx.Err() == nil && time.Now().Before(deadline); {
		l.poll(min(time.Until(deadline), 50*time.Millisecond))
	}
}

// dialling counts the connections still being dialled.
func (l *eventLoop) dialling() (n int) {
	for _, c := range l.conns {
		if c.dialling {
			n++
		}
	}
	return n
}

// start runs the loop on a goroutine of its own (see hitSender). When
// ctx is done, no more hits are sent, and the requests in flight finish
// by their timeout at the latest.
func (l *eventLoop) start(ctx context.Context) <-chan sent {
	l.out = make(chan sent, resultsQueued)
	stop := context.AfterFunc(ctx, l.stop)
	go func() {
		defer stop()
		l.run()
	}()
	return l.out
}

// stop wakes the loop to halt it; safe from any goroutine.
func (l *eventLoop) stop() {
	one := uint64(1)
	unix.Write(l.wake, (*[8]byte)(unsafe.Pointer(&one))[:])
}

func (l *eventLoop) run() {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	defer l.close()
	l.scanAt = l.timeout
	if l.timeout <= 0 {
		l.scanAt = math.MaxInt64 // no timeout
	}
	for {
		now := time.Since(l.began)
		if !l.halted && now >= l.sentAt+sendEvery {
			l.sendDue(now)
		}
		if now >= l.scanAt {
			l.expire(now)
		}
		l.closeDropped()
		if l.halted && l.inFlight.Load() == 0 {
			return
		}
		l.poll(l.untilWake(time.Since(l.began))) // after the sends, not before: no wait too long
	}
}

// sendDue sends the hits due by now, each on an idle connection or one
// it dials; a hit with none to go on (at maxWorkers) waits.
func (l *eventLoop) sendDue(now time.Duration) {
	for !l.halted {
		if !l.hasNext {
			intended, ok := l.sched.step()
			if !ok {
				l.halted = true
				return
			}
			l.next, l.hasNext = hit{seq: l.sched.next - 1, intended: intended, target: l.mix.Next()}, true
		}
		if l.next.intended > now {
			return
		}
		if now > l.du && now-l.next.intended > l.lateAfter { // far behind at the end: the rest is dropped
			l.halted = true
			return
		}
		c, err := l.connFor(l.addrOf[l.next.target])
		if c == nil && err == nil {
			return // every connection busy, at the bound
		}
		l.hasNext = false
		l.asked.Add(1)
		l.addInFlight()
		if err != nil {
			l.report(l.next, now, 0, 0, err)
			continue
		}
		l.sentAt = now
		l.send(c, l.next, now)
	}
}

// untilWake is how long the loop may wait for its connections: until the
// next hit is due (no sooner than sendEvery after the last were sent),
// or the next look for timeouts; -1 is until a connection or stop wakes
// it. A hit due with no connection to go on waits for one to free.
func (l *eventLoop) untilWake(now time.Duration) time.Duration {
	wake, bounded := time.Duration(0), false
	switch {
	case l.halted:
	case !l.hasNext:
		return 0 // take the next hit from the schedule
	case l.next.intended > now || l.canDial(l.addrOf[l.next.target]):
		wake, bounded = max(l.next.intended, l.sentAt+sendEvery)-now, true
	}
	if l.inFlight.Load() > 0 && l.timeout > 0 && (!bounded || l.scanAt-now < wake) {
		wake, bounded = l.scanAt-now, true
	}
	if !bounded {
		return -1
	}
	return max(wake, 0)
}

// canDial says whether a hit to address a has a connection to go on, or
// may dial one.
func (l *eventLoop) canDial(a int) bool {
	if len(l.idle[a]) > 0 || l.open < l.maxWorkers {
		return true
	}
	for _, idle := range l.idle {
		if len(idle) > 0 {
			return true
		}
	}
	return false
}

// connFor returns an idle connection to address a, else dials one; nil
// and no error at maxWorkers connections. At the bound, an idle
// connection to another address is closed to make room.
func (l *eventLoop) connFor(a int) (*loopConn, error) {
	if n := len(l.idle[a]); n > 0 {
		c := l.idle[a][n-1]
		l.idle[a] = l.idle[a][:n-1]
		return c, nil
	}
	if l.open >= l.maxWorkers {
		for b := range l.idle {
			if n := len(l.idle[b]); n > 0 {
				c := l.idle[b][n-1]
				l.idle[b] = l.idle[b][:n-1]
				l.drop(c)
				break
			}
		}
	}
	if l.open >= l.maxWorkers {
		return nil, nil
	}
	return l.dial(a)
}

// dial starts a connection to address a; it is writable once dialled.
func (l *eventLoop) dial(a int) (*loopConn, error) {
	family := unix.AF_INET
	if _, ok := l.addrs[a].(*unix.SockaddrInet6); ok {
		family = unix.AF_INET6
	}
	fd, err := unix.Socket(family, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, os.NewSyscallError("socket", err)
	}
	unix.SetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1)
	if err := unix.Connect(fd, l.addrs[a]); err != nil && err != unix.EINPROGRESS {
		unix.Close(fd)
		return nil, os.NewSyscallError("connect", err)
	}
	c := &loopConn{fd: fd, addr: a, dialling: true, wantsWrite: true}
	c.resp.heads = l.parser
	l.conns[int32(fd)] = c
	l.open++
	l.watch(fd, unix.EPOLLIN|unix.EPOLLOUT, unix.EPOLL_CTL_ADD)
	return c, nil
}

// send puts hit h on c: it writes the request now, or once c is dialled.
func (l *eventLoop) send(c *loopConn, h hit, now time.Duration) {
	c.busy, c.h, c.start, c.pending = true, h, now, l.requests[h.target]
	c.resp.reset(l.isHead[h.target])
	if !c.dialling {
		l.write(c)
	}
}

// write writes what it can of c's request, and waits to write the rest.
func (l *eventLoop) write(c *loopConn) {
	for len(c.pending) > 0 {
		n, err := rawIO(unix.SYS_WRITE, c.fd, c.pending)
		if err == unix.EINTR {
			continue
		}
		if err == unix.EAGAIN {
			break
		}
		if err != nil {
			l.fail(c, os.NewSyscallError("write", err))
			return
		}
		c.pending = c.pending[n:]
	}
	if want := len(c.pending) > 0; want != c.wantsWrite {
		c.wantsWrite = want
		events := uint32(unix.EPOLLIN)
		if want {
			events |= unix.EPOLLOUT
		}
		l.watch(c.fd, events, unix.EPOLL_CTL_MOD)
	}
}

// poll waits up to wait (-1: no bound) for the connections and handles
// what they are ready for.
func (l *eventLoop) poll(wait time.Duration) {
	var events [128]unix.EpollEvent
	n, err := epollWait(l.epfd, events[:], wait, l.rawWait)
	if err != nil {
		return // EINTR
	}
	for _, e := range events[:n] {
		if int(e.Fd) == l.wake {
			var b [8]byte
			unix.Read(l.wake, b[:])
			l.halted = true
			continue
		}
		c := l.conns[e.Fd]
		if c == nil {
			continue // closed by an earlier event of this batch
		}
		switch {
		case c.dialling:
			l.dialled(c, e.Events)
		case e.Events&unix.EPOLLOUT != 0 && len(c.pending) > 0:
			l.write(c)
		}
		if e.Events&(unix.EPOLLIN|unix.EPOLLHUP|unix.EPOLLERR) != 0 && l.conns[e.Fd] == c && !c.dialling {
			l.read(c)
		}
	}
}

// dialled finishes dialling c: it writes c's request, or waits idle.
func (l *eventLoop) dialled(c *loopConn, events uint32) {
	if events&(unix.EPOLLOUT|unix.EPOLLERR|unix.EPOLLHUP) == 0 {
		return
	}
	if errno, err := unix.GetsockoptInt(c.fd, unix.SOL_SOCKET, unix.SO_ERROR); err != nil || errno != 0 {
		if err == nil {
			err = unix.Errno(errno)
		}
		l.fail(c, os.NewSyscallError("connect", err))
		return
	}
	c.dialling = false
	if c.busy {
		l.write(c)
		return
	}
	c.wantsWrite = false
	l.watch(c.fd, unix.EPOLLIN, unix.EPOLL_CTL_MOD)
	l.idle[c.addr] = append(l.idle[c.addr], c)
}

// read reads what c has and follows its response.
func (l *eventLoop) read(c *loopConn) {
	n, err := rawIO(unix.SYS_READ, c.fd, l.buf)
	switch {
	case err == unix.EAGAIN || err == unix.EINTR:
		return
	case !c.busy: // an idle connection the server closed, or wrote to unasked
		l.drop(c)
		return
	case err != nil:
		l.fail(c, os.NewSyscallError("read", err))
		return
	case n == 0:
		whole, err := c.resp.eof()
		if whole {
			l.done(c)
			return
		}
		l.fail(c, fmt.Errorf("the server closed the connection: %w", err))
		return
	}
	used, whole, err := c.resp.feed(l.buf[:n])
	switch {
	case err != nil:
		l.fail(c, fmt.Errorf("reading the response: %w", err))
	case whole && used < n:
		l.fail(c, errors.New("the server sent more than the response"))
	case whole:
		l.done(c)
	}
}

// done reports c's response, and keeps c for the next request unless
// the response ends the connection.
func (l *eventLoop) done(c *loopConn) {
	l.report(c.h, c.start, c.resp.code, c.resp.bodyBytes, nil)
	c.busy, c.reused = false, true
	if c.resp.closeAfter {
		l.drop(c)
		return
	}
	l.idle[c.addr] = append(l.idle[c.addr], c)
}

// fail reports c's request as failed with err, and closes c. A request
// that may be sent twice goes again on a new connection when c was kept
// alive and the server closed it before answering.
func (l *eventLoop) fail(c *loopConn, err error) {
	if c.busy && c.reused && l.idempotent[c.h.target] && c.resp.untouched() &&
		(errors.Is(err, io.EOF) || errors.Is(err, unix.ECONNRESET) || errors.Is(err, unix.EPIPE)) {
		l.again(c)
		return
	}
	if c.busy {
		l.report(c.h, c.start, c.resp.code, c.resp.bodyBytes, err)
		c.busy = false
	}
	l.drop(c)
}

// again sends c's request once more on a new connection: c was kept
// alive, and the server closed it before reading the request.
func (l *eventLoop) again(c *loopConn) {
	h, start := c.h, c.start
	c.busy = false
	l.drop(c)
	fresh, err := l.dial(c.addr)
	if err != nil {
		l.report(h, start, 0, 0, err)
		return
	}
	fresh.busy, fresh.h, fresh.start, fresh.pending = true, h, start, l.requests[h.target]
	fresh.resp.reset(l.isHead[h.target])
}

// drop closes c: its descriptor is closed before the loop next waits,
// so that no connection dialled meanwhile takes its number while events
// for it are being handled.
func (l *eventLoop) drop(c *loopConn) {
	delete(l.conns, int32(c.fd))
	if i := slices.Index(l.idle[c.addr], c); i >= 0 {
		l.idle[c.addr] = slices.Delete(l.idle[c.addr], i, i+1)
	}
	l.closing = append(l.closing, c.fd)
	l.open--
}

// closeDropped closes the descriptors of the connections dropped.
func (l *eventLoop) closeDropped() {
	for _, fd := range l.closing {
		unix.Close(fd) // leaves the epoll set with it
	}
	l.closing = l.closing[:0]
}

// report hands what was measured of h to the attack.
func (l *eventLoop) report(h hit, start time.Duration, code int, bytesIn int64, err error) {
	l.inFlight.Add(-1)
	l.out <- sent{hit: h, start: start, end: time.Since(l.began), code: code, bytesIn: bytesIn, err: err}
}

// expire fails the requests in flight past their timeout, and sets when
// to look again.
func (l *eventLoop) expire(now time.Duration) {
	next := now + l.timeout
	for _, c := range l.conns {
		if !c.busy {
			continue
		}
		if end := c.start + l.timeout; end <= now {
			l.fail(c, fmt.Errorf("no response within %v: %w", l.timeout, os.ErrDeadlineExceeded))
		} else {
			next = min(next, end)
		}
	}
	l.scanAt = max(next, now+time.Millisecond)
}

// close closes every connection and the loop's own descriptors, and
// then the measurements' channel.
func (l *eventLoop) close() {
	l.release()
	close(l.out)
}

// release closes every connection and the loop's own descriptors: after
// the loop, or in place of it when the attack ends before it starts.
func (l *eventLoop) release() {
	for _, c := range l.conns {
		l.drop(c)
	}
	l.closeDropped()
	if l.wake >= 0 {
		unix.Close(l.wake)
		unix.Close(l.epfd)
		l.wake, l.epfd = -1, -1
	}
}

func (l *eventLoop) watch(fd int, events uint32, op int) {
	e := unix.EpollEvent{Events: events, Fd: int32(fd)}
	if err := unix.EpollCtl(l.epfd, op, fd, &e); err != nil {
		panic(fmt.Sprintf("epoll_ctl: %v", err)) // a descriptor the loop owns: a bug
	}
}

// epollWait waits up to wait (-1: no bound) with epoll_pwait2, whose
// timeout is in nanoseconds: epoll_wait's milliseconds would send a hit
// due in 300 µs a millisecond late. Before Linux 5.11 it rounds up to
// epoll_wait's milliseconds.
//
// With raw, the caller keeps its processor (Go's P) while it waits: a
// plain system call hands it back on every wait, and sysmon and
// exitsyscall trade it thousands of times a second, which cost a quarter
// of the attack's CPU (38 against 28 µs a request at 5,000/s, 4
// alternating runs each). A raw wait is capped at maxRawWait, so that the
// other goroutines never wait longer for a stop of the world, though the
// runtime's preemption signal ends it sooner.
func epollWait(epfd int, events []unix.EpollEvent, wait time.Duration, raw bool) (int, error) {
	syscall6 := unix.Syscall6
	if raw {
		syscall6 = unix.RawSyscall6
		if wait < 0 || wait > maxRawWait {
			wait = maxRawWait
		}
	}
	if !noPwait2.Load() {
		var ts *unix.Timespec
		if wait >= 0 {
			t := unix.NsecToTimespec(int64(wait))
			ts = &t
		}
		n, _, errno := syscall6(unix.SYS_EPOLL_PWAIT2, uintptr(epfd), uintptr(unsafe.Pointer(&events[0])), uintptr(len(events)), uintptr(unsafe.Pointer(ts)), 0, 0)
		if errno != unix.ENOSYS {
			if errno != 0 {
				return 0, errno
			}
			return int(n), nil
		}
		noPwait2.Store(true)
	}
	ms := -1
	if wait >= 0 {
		ms = int((wait + time.Millisecond - 1) / time.Millisecond)
	}
	n, _, errno := syscall6(unix.SYS_EPOLL_PWAIT, uintptr(epfd), uintptr(unsafe.Pointer(&events[0])), uintptr(len(events)), uintptr(ms), 0, 0)
	if errno != 0 {
		return 0, errno
	}
	return int(n), nil
}

// maxRawWait bounds a wait that keeps its processor.
const maxRawWait = 5 * time.Millisecond

// noPwait2 is set once the kernel lacks epoll_pwait2.
var noPwait2 atomic.Bool

// rawIO reads or writes a nonblocking socket without telling the
// scheduler that the call may block: it cannot (it returns EAGAIN
// instead), and the scheduler's bookkeeping around a system call that may
// block cost a tenth of the attack's CPU (47.7 against 53.2 µs a request
// at 5,000/s, medians of 4 alternating runs).
func rawIO(call uintptr, fd int, b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	n, _, errno := unix.RawSyscall(call, uintptr(fd), uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)))
	if errno != 0 {
		return 0, errno
	}
	return int(n), nil
}
