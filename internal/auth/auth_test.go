package auth

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/alexedwards/argon2id"
)

// TestHashConcurrencyBounded: 16 goroutines hashing and checking at once
// never run more argon2id computations together than there are slots.
// Each computation is held inside its slot until the slots are full and
// every other goroutine has come to wait for one, so that without the
// bound the waiting ones would walk in and be counted; the test needs no
// timing.
func TestHashConcurrencyBounded(t *testing.T) {
	const slots, goroutines = 2, 16
	saved := hashSlots
	hashSlots = make(chan struct{}, slots)
	t.Cleanup(func() { hashSlots, hashHook, hashWaitHook = saved, nil, nil })
	hash, err := HashPassword(context.Background(), "a-long-enough-password")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	cond := sync.NewCond(&mu)
	waiting, inside, peak, done := 0, 0, 0, 0
	hashWaitHook = func() {
		mu.Lock()
		waiting++
		cond.Broadcast()
		mu.Unlock()
	}
	hashHook = func() {
		mu.Lock()
		defer mu.Unlock()
		waiting--
		inside++
		peak = max(peak, inside)
		cond.Broadcast()
		for inside <= slots && (inside < min(slots, goroutines-done) || waiting < goroutines-done-inside) {
			cond.Wait()
		}
		inside--
		done++
		cond.Broadcast()
	}
	var wg sync.WaitGroup
	for i := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i%2 == 0 {
				if ok, err := CheckPassword(context.Background(), "a-long-enough-password", hash); !ok || err != nil {
					t.Errorf("CheckPassword = %v, %v", ok, err)
				}
			} else if _, err := HashPassword(context.Background(), "another-password"); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if peak > slots {
		t.Errorf("%d argon2id computations ran at once, want at most %d", peak, slots)
	}
	if peak < slots {
		t.Errorf("only %d computations ran at once; the test did not load the bound", peak)
	}
	if done != goroutines {
		t.Errorf("%d computations ran, want %d", done, goroutines)
	}
}

// TestHashWaitEndsWithContext: a caller waiting for a slot gives up when
// its context ends, rather than queueing forever.
func TestHashWaitEndsWithContext(t *testing.T) {
	saved := hashSlots
	hashSlots = make(chan struct{}, 1)
	t.Cleanup(func() { hashSlots = saved })
	hashSlots <- struct{}{} // the only slot is taken
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := HashPassword(ctx, "a-long-enough-password"); !errors.Is(err, context.Canceled) {
		t.Errorf("HashPassword with no slot and a cancelled context = %v", err)
	}
	if ok, err := CheckPassword(ctx, "x", ""); ok || !errors.Is(err, context.Canceled) {
		t.Errorf("CheckPassword with no slot and a cancelled context = %v, %v", ok, err)
	}
	<-hashSlots
}

func TestCheckPassword(t *testing.T) {
	ctx := context.Background()
	h, err := HashPassword(ctx, "correct-horse-battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(h, "$m=7168,t=5,p=1$") {
		t.Errorf("new hash %q: want OWASP's m=7168, t=5, p=1", h)
	}
	old, err := argon2id.CreateHash("correct-horse-battery", &argon2id.Params{Memory: 19 * 1024, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		pw, hash string
		want     bool
	}{{"correct-horse-battery", h, true}, {"wrong-horse-battery", h, false}, {"correct-horse-battery", "", false}, {"x", "not-a-hash", false},
		// A hash made with the parameters used before (19 MiB, 2 passes)
		// still verifies: each hash carries its own.
		{"correct-horse-battery", old, true}, {"wrong-horse-battery", old, false}} {
		if ok, err := CheckPassword(ctx, tc.pw, tc.hash); ok != tc.want || err != nil {
			t.Errorf("CheckPassword(%q, %.12q) = %v, %v; want %v", tc.pw, tc.hash, ok, err, tc.want)
		}
	}
}

func TestAddrBucket(t *testing.T) {
	for in, want := range map[string]string{
		"192.0.2.7":            "192.0.2.7",
		"2001:db8:1:2:3:4:5:6": "2001:db8:1:2::/64",
		"2001:db8:1:2::9":      "2001:db8:1:2::/64",
		"not an address":       "not an address",
		"":                     "",
	} {
		if got := AddrBucket(in); got != want {
			t.Errorf("AddrBucket(%q) = %q, want %q", in, got, want)
		}
	}
}
