package interrupt

import (
	"context"
	"errors"
	"syscall"
	"testing"
	"time"
)

func TestUnarmedUntilDone(t *testing.T) {
	c := New(context.Background())
	defer c.Stop()
	if c.Armed() || c.Err() != nil {
		t.Fatalf("fresh context: armed=%v err=%v", c.Armed(), c.Err())
	}
	_ = c.Value("anything")
	if _, ok := c.Deadline(); ok || c.Armed() {
		t.Fatal("Value and Deadline must not install the handler")
	}
	c.Done()
	if !c.Armed() {
		t.Fatal("Done did not install the handler")
	}
}

func TestSignalCancelsOnceArmed(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		c := New(context.Background())
		done := c.Done()
		if err := syscall.Kill(syscall.Getpid(), sig); err != nil {
			t.Fatal(err)
		}
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("%v did not cancel the context", sig)
		}
		if !errors.Is(c.Err(), context.Canceled) {
			t.Errorf("%v: Err = %v, want context.Canceled", sig, c.Err())
		}
		c.Stop()
	}
}

// A context derived from it (a request timeout, a lock wait) waits on Done,
// so it arms the handler and is cancelled with it.
func TestDerivedContextArmsAndFollows(t *testing.T) {
	c := New(context.Background())
	defer c.Stop()
	child, cancel := context.WithTimeout(c, time.Minute)
	defer cancel()
	if !c.Armed() {
		t.Fatal("deriving a cancellable context did not install the handler")
	}
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-child.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("SIGINT did not reach the derived context")
	}
}

func TestParentEndingIsSeenBeforeAndAfterArming(t *testing.T) {
	parent, cancel := context.WithCancel(context.Background())
	c := New(parent)
	defer c.Stop()
	cancel()
	if !errors.Is(c.Err(), context.Canceled) {
		t.Fatalf("unarmed Err = %v, want the parent's", c.Err())
	}
	<-c.Done()
	if !errors.Is(c.Err(), context.Canceled) {
		t.Fatalf("armed Err = %v, want the parent's", c.Err())
	}
}

func TestStopWithoutArmingIsANoop(t *testing.T) {
	c := New(context.Background())
	c.Stop()
	if c.Armed() {
		t.Fatal("Stop armed the handler")
	}
}

// Derived contexts register with the signal context through AfterFunc
// instead of a goroutine each, and still follow it.
func TestAfterFuncRunsOnSignal(t *testing.T) {
	c := New(context.Background())
	defer c.Stop()
	ran := make(chan struct{})
	c.AfterFunc(func() { close(ran) })
	if !c.Armed() {
		t.Fatal("AfterFunc did not install the handler")
	}
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ran:
	case <-time.After(5 * time.Second):
		t.Fatal("SIGINT did not run the AfterFunc")
	}
}
