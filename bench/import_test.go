package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authctl/authctl/internal/bulk"
)

// The import throughput target (issue 8): `admin users import` reaches at
// least 90% of a plain Go loop sending the same POST /admin/users requests
// at the same concurrency. Both send each batch of users to a fresh
// emulator (the emulator slows down as it fills, which would favour
// whichever ran first), through the same kind of connection pool.
//
//	go test -run '^$' -bench Import -benchtime 5x ./bench/   (or ./bench/bulk.sh)

const (
	importWorkers = 8
	importBatch   = 2000
)

var batchSeq atomic.Int64

// batch is a JSON Lines file of fresh users, as the importer reads it.
func batch() string {
	n := batchSeq.Add(1)
	var b strings.Builder
	for i := range importBatch {
		fmt.Fprintf(&b, "{\"email\":\"b%d-u%d@example.com\",\"user_metadata\":{\"i\":%d}}\n", n, i, i)
	}
	return b.String()
}

func BenchmarkImport(b *testing.B) {
	b.Run("authctl", func(b *testing.B) {
		measure(b, func(srv *bulkServer, file string) {
			im := &bulk.Importer{Admin: srv.admin(b, httpClient(importWorkers)), Concurrency: importWorkers}
			sum, err := im.Run(context.Background(), func(fn bulk.RowFunc) error {
				return bulk.ReadJSONL(strings.NewReader(file), time.Now(), fn)
			})
			if err != nil || sum.Created != importBatch {
				b.Fatalf("%+v %v", sum, err)
			}
		})
	})
	b.Run("plain-loop", func(b *testing.B) {
		measure(b, func(srv *bulkServer, file string) { plainLoop(b, httpClient(importWorkers), srv, file) })
	})
}

// measure times only the requests: preparing the batch and the server is
// outside.
func measure(b *testing.B, run func(srv *bulkServer, file string)) {
	var elapsed time.Duration
	for b.Loop() {
		b.StopTimer()
		file, srv := batch(), startBulkServer(b)
		b.StartTimer()
		t := time.Now()
		run(srv, file)
		elapsed += time.Since(t)
	}
	b.ReportMetric(float64(b.N*importBatch)/elapsed.Seconds(), "users/s")
}

// plainLoop is the baseline: workers POST each line as it is, nothing else.
func plainLoop(b *testing.B, hc *http.Client, srv *bulkServer, file string) {
	rows := make(chan string)
	var wg sync.WaitGroup
	for range importWorkers {
		wg.Go(func() {
			for row := range rows {
				req, _ := http.NewRequest("POST", srv.URL+"/admin/users", strings.NewReader(row))
				req.Header.Set("Authorization", "Bearer "+srv.ServiceKey)
				req.Header.Set("apikey", srv.AnonKey)
				req.Header.Set("Content-Type", "application/json")
				resp, err := hc.Do(req)
				if err != nil {
					b.Error(err)
					continue
				}
				var u struct{ ID string }
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 || json.Unmarshal(body, &u) != nil {
					b.Errorf("%d %s", resp.StatusCode, body)
				}
			}
		})
	}
	for line := range strings.Lines(file) {
		rows <- string(bytes.TrimSpace([]byte(line)))
	}
	close(rows)
	wg.Wait()
}

// BenchmarkImportPaired runs both on back-to-back batches in alternating
// order and reports the ratio of their total times, which a shared
// machine's load (it shifts between separate sub-benchmarks) does not skew.
func BenchmarkImportPaired(b *testing.B) {
	var tool, plain time.Duration
	i := 0
	for b.Loop() {
		runTool := func() {
			srv, file := startBulkServer(b), batch()
			im := &bulk.Importer{Admin: srv.admin(b, httpClient(importWorkers)), Concurrency: importWorkers}
			t := time.Now()
			if _, err := im.Run(context.Background(), func(fn bulk.RowFunc) error {
				return bulk.ReadJSONL(strings.NewReader(file), time.Now(), fn)
			}); err != nil {
				b.Fatal(err)
			}
			tool += time.Since(t)
		}
		runPlain := func() {
			srv, file := startBulkServer(b), batch()
			t := time.Now()
			plainLoop(b, httpClient(importWorkers), srv, file)
			plain += time.Since(t)
		}
		if i++; i%2 == 0 {
			runTool()
			runPlain()
		} else {
			runPlain()
			runTool()
		}
	}
	b.ReportMetric(100*plain.Seconds()/tool.Seconds(), "%-of-plain-loop")
	b.ReportMetric(float64(b.N*importBatch)/tool.Seconds(), "authctl-users/s")
	b.ReportMetric(float64(b.N*importBatch)/plain.Seconds(), "plain-users/s")
}
