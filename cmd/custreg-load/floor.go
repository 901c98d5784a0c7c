package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The comparison with the floor server (../shared/floor): the same creates
// and reads, in the same run on the same data, each custreg figure given
// as a ratio to the floor's. The floor does none of custreg's work (no
// authentication, validation, audit, licenses, counts, entities), so it
// marks the least a request can cost on this machine.

// ratioRow is one compared figure.
type ratioRow struct {
	what           string
	custreg, floor *result
}

func printRatios(out io.Writer, rows []ratioRow) {
	fmt.Fprintf(out, "\n%-58s %9s %9s %7s %12s %12s\n", "compared with the floor (same run, same data)", "custreg/s", "floor/s", "ratio", "p99 custreg", "p99 floor")
	for _, r := range rows {
		c, f := r.custreg.rate(), r.floor.rate()
		fmt.Fprintf(out, "%-58s %9.0f %9.0f %6.2fx %9.2f ms %9.2f ms\n", r.what, c, f, c/f, ms(r.custreg.p(99)), ms(r.floor.p(99)))
	}
	fmt.Fprintln(out)
}

func (r *result) rate() float64 { return float64(r.n) / r.elapsed.Seconds() }

// compareReads measures the first page and the search box on both
// servers, each at concurrency 1 (latency) and `workers` (throughput).
func compareReads(ctx context.Context, cl, fl *client, gen *generator, samples, workers int) ([]ratioRow, error) {
	r := rand.New(rand.NewPCG(gen.seed, 123))
	four := make([]string, samples)
	for i := range four {
		name := []rune(gen.names[r.IntN(len(gen.names))])
		at := r.IntN(max(1, len(name)-3))
		four[i] = url.QueryEscape(string(name[at:min(len(name), at+4)]))
	}
	reads := []struct {
		what           string
		custreg, floor func(i int) string
	}{
		{"first page of 50 with counts and total",
			func(int) string { return "/api/v1/customers?limit=50" },
			func(int) string { return "/api/v1/customers?limit=50&sort=name" }},
		{"q = 4 letters of a name, with total",
			func(i int) string { return "/api/v1/customers?limit=50&q=" + four[i%len(four)] },
			func(i int) string { return "/api/v1/customers?limit=50&sort=name&q=" + four[i%len(four)] }},
	}
	var rows []ratioRow
	for _, rd := range reads {
		for _, w := range []int{1, workers} {
			f, err := fl.read(ctx, rd.floor, samples, w)
			if err != nil {
				return nil, fmt.Errorf("floor %s: %w", rd.what, err)
			}
			c, err := cl.read(ctx, rd.custreg, samples, w)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", rd.what, err)
			}
			rows = append(rows, ratioRow{what: fmt.Sprintf("%s, concurrency %d", rd.what, w), custreg: c, floor: f})
		}
	}
	return rows, nil
}

// read sends n GETs of path(i) from workers goroutines, after a short
// warm-up, and times them.
func (cl *client) read(ctx context.Context, path func(i int) string, n, workers int) (*result, error) {
	for i := range min(20, n) {
		if _, _, err := cl.do(ctx, "GET", path(i), nil); err != nil {
			return nil, err
		}
	}
	var next atomic.Int64
	lat := make([]time.Duration, n)
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	start := time.Now()
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n || ctx.Err() != nil {
					return
				}
				t := time.Now()
				st, body, err := cl.do(ctx, "GET", path(i), nil)
				lat[i] = time.Since(t)
				if err == nil && st != http.StatusOK {
					err = fmt.Errorf("GET %s: %d %s", path(i), st, strings.TrimSpace(string(body)))
				}
				if err != nil {
					once.Do(func() { firstErr = err })
					return
				}
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	return &result{n: n, elapsed: time.Since(start), lat: lat}, ctx.Err()
}
