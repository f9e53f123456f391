package auth

import (
	"net"
	"net/netip"
	"strings"
)

// IsLoopback reports whether the listen address addr (host:port) can be
// reached from this machine only: a host of "localhost", 127.0.0.0/8 or
// ::1. An empty host (all interfaces), another name, or an addr that is not
// host:port is not loopback.
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Unmap().IsLoopback()
}
