// Package metrics holds custreg's Prometheus metrics: HTTP requests by route
// and status with their latency, and store transaction and query latency, so
// that an operator sees in production the figures BENCHMARKS.md reports.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics is one registry of custreg's metrics. Each server has its own, so
// tests can run several in one process.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	storeTx  *prometheus.HistogramVec
	storeQry *prometheus.HistogramVec
}

// latencyBuckets cover 0.25 ms to 5 s: custreg's reads take about a
// millisecond, and anything near the top is an incident.
var latencyBuckets = []float64{.00025, .0005, .001, .002, .004, .008, .016, .032, .064, .128, .256, .512, 1, 2, 5}

// New returns a registry with the Go runtime and process collectors and
// custreg's own metrics.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "custreg_http_requests_total",
			Help: "HTTP requests by route pattern, method and status code.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "custreg_http_request_duration_seconds",
			Help:    "HTTP request latency by route pattern and method.",
			Buckets: latencyBuckets,
		}, []string{"route", "method"}),
		storeTx: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "custreg_store_transaction_duration_seconds",
			Help:    "Store transaction latency, begin to commit, by kind (read or write).",
			Buckets: latencyBuckets,
		}, []string{"kind"}),
		storeQry: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "custreg_store_query_duration_seconds",
			Help:    "Store statement latency by statement (select, insert, update, delete).",
			Buckets: latencyBuckets,
		}, []string{"statement"}),
	}
	m.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.requests, m.latency, m.storeTx, m.storeQry)
	return m
}

// Handler serves the metrics in the Prometheus exposition format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// ObserveRequest records one finished request. route is the ServeMux
// pattern that served it ("" for none, recorded as "unmatched"), so the
// label set stays bounded whatever paths clients send.
func (m *Metrics) ObserveRequest(route, method string, status int, d time.Duration) {
	if route == "" {
		route = "unmatched"
	}
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route, method).Observe(d.Seconds())
}

// ObserveTx records one store transaction.
func (m *Metrics) ObserveTx(kind string, d time.Duration) {
	m.storeTx.WithLabelValues(kind).Observe(d.Seconds())
}

// ObserveQuery records one store statement.
func (m *Metrics) ObserveQuery(statement string, d time.Duration) {
	m.storeQry.WithLabelValues(statement).Observe(d.Seconds())
}
