package osqsim

import (
	"crypto/sha1"
	"database/sql/driver"
	"encoding/base64"
	"encoding/binary"
	"math"
	"net/netip"
	"strings"
)

// fnInetAton is inet_aton(ip): a dotted IPv4 address as an integer; NULL for
// anything else (IPv6 included).
func fnInetAton(a []driver.Value) (driver.Value, error) {
	s, ok := text(a[0])
	if !ok || strings.Contains(s, ":") {
		return nil, nil
	}
	ip, err := netip.ParseAddr(s)
	if err != nil || !ip.Is4() {
		return nil, nil
	}
	b := ip.As4()
	return int64(binary.BigEndian.Uint32(b[:])), nil
}

// fnInCIDRBlock is in_cidr_block(cidr, ip): 1 when ip is one of the block's
// hosts as boost::asio counts them (an IPv4 block of /31 or wider leaves out
// its network and broadcast addresses), else 0.
func fnInCIDRBlock(a []driver.Value) (driver.Value, error) {
	cidr, ok := a[0].(string)
	if !ok {
		return nil, osqueryError("CIDR must be a string")
	}
	s, ok := a[1].(string)
	if !ok {
		return nil, osqueryError("IP addresss must be a string")
	}
	ip, err := netip.ParseAddr(s)
	if err != nil {
		return nil, osqueryError("IP address cannot be parsed")
	}
	p, err := netip.ParsePrefix(cidr)
	if ip.Is4() {
		if err != nil || !p.Addr().Is4() {
			return nil, osqueryError("CIDR for IP address v4 cannot be parsed")
		}
		b := p.Addr().As4()
		addr := uint64(binary.BigEndian.Uint32(b[:]))
		b = ip.As4()
		x := uint64(binary.BigEndian.Uint32(b[:]))
		if p.Bits() == 32 {
			return boolInt(x == addr), nil
		}
		size := uint64(1) << (32 - p.Bits())
		network := addr &^ (size - 1)
		return boolInt(x > network && x < network+size-1), nil
	}
	if err != nil || !p.Addr().Is6() {
		return nil, osqueryError("CIDR for IP address v6 cannot be parsed")
	}
	return boolInt(p.Masked().Contains(ip.WithZone(""))), nil
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// communityIDFunc is community_id_v1(saddr, daddr, sport, dport, proto [, seed]),
// the Community ID v1 flow hash (github.com/corelight/community-id-spec). The
// lenient form answers NULL for bad input; the strict form fails the query.
func communityIDFunc(strict bool) func([]driver.Value) (driver.Value, error) {
	return func(a []driver.Value) (driver.Value, error) {
		id, err := communityID(a)
		if err != nil && !strict {
			return nil, nil
		}
		return id, err
	}
}

func communityID(a []driver.Value) (driver.Value, error) {
	if len(a) != 5 && len(a) != 6 {
		return nil, osqueryError("wrong number of arguments to function community_id_v1()")
	}
	var seed int64
	if len(a) == 6 {
		s, ok := a[5].(int64)
		if !ok {
			return nil, osqueryError("Community ID seed must be an integer")
		}
		if s < math.MinInt16 || s > math.MaxInt16 {
			return nil, osqueryError("Community ID seed must fit in 2 bytes")
		}
		seed = s
	}
	ss, ok1 := a[0].(string)
	ds, ok2 := a[1].(string)
	if !ok1 || !ok2 {
		return nil, osqueryError("Community ID IPs must be strings")
	}
	saddr, err := netip.ParseAddr(ss)
	if err != nil {
		return nil, osqueryError("Community ID saddr cannot be parsed as IP")
	}
	daddr, err := netip.ParseAddr(ds)
	if err != nil {
		return nil, osqueryError("Community ID daddr cannot be parsed as IP")
	}
	sport, ok1 := a[2].(int64)
	dport, ok2 := a[3].(int64)
	if !ok1 || !ok2 {
		return nil, osqueryError("Community ID ports must be integers")
	}
	if sport < 0 || sport > math.MaxUint16 || dport < 0 || dport > math.MaxUint16 {
		return nil, osqueryError("Community ID ports must fit in 2 bytes")
	}
	proto, ok := a[4].(int64)
	if !ok {
		return nil, osqueryError("Community ID protocol must be an integer")
	}
	if proto < 0 || proto > math.MaxUint8 {
		return nil, osqueryError("Community ID protocol must fit in 1 byte")
	}
	// The smaller endpoint goes first (IPv4 sorts before IPv6).
	if c := saddr.Compare(daddr); !(c < 0 || (c == 0 && sport < dport)) {
		saddr, daddr = daddr, saddr
		sport, dport = dport, sport
	}
	buf := binary.BigEndian.AppendUint16(nil, uint16(seed))
	buf = append(buf, saddr.AsSlice()...)
	buf = append(buf, daddr.AsSlice()...)
	buf = append(buf, byte(proto), 0)
	buf = binary.BigEndian.AppendUint16(buf, uint16(sport))
	buf = binary.BigEndian.AppendUint16(buf, uint16(dport))
	sum := sha1.Sum(buf)
	return "1:" + base64.StdEncoding.EncodeToString(sum[:]), nil
}
