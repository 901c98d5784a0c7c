// Command custreg is the customer-registration service for managed service
// providers: `custreg serve` runs the API and web UI, `custreg migrate`
// applies database migrations. See the README for configuration.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "custreg:", err)
		os.Exit(1)
	}
}
