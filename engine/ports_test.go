package engine

import (
	"fmt"
	"strings"
	"testing"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

func TestListeningPorts_B23(t *testing.T) {
	c, lps := minLoadB23(t)
	ls := classifyListeners(lps, c.HostNS, nil)
	if len(ls) != len(lps) {
		t.Fatalf("classified %d rows, want %d", len(ls), len(lps))
	}
	// Every expected classification holds for every row of its port.
	for _, want := range c.Expected {
		base := strings.SplitN(want.Scope, " ", 2)[0]
		found := false
		for _, l := range ls {
			if l.Port != want.Port {
				continue
			}
			found = true
			if string(l.Scope) != base {
				t.Errorf("port %d/%s: scope %s, want %s", l.Port, l.Proto, l.Scope, want.Scope)
			}
			if l.Proto != want.Proto {
				t.Errorf("port %d: proto %s, want %s", l.Port, l.Proto, want.Proto)
			}
			if want.Process != "" && l.Process != want.Process {
				t.Errorf("port %d: process %q, want %q", l.Port, l.Process, want.Process)
			}
		}
		if !found {
			t.Errorf("port %d not classified", want.Port)
		}
	}
	got := exposedServices(ls)
	var names []string
	for _, s := range got {
		names = append(names, s.String())
	}
	if strings.Join(names, " ") != "22/tcp 68/udp 5353/udp 8443/tcp" {
		t.Fatalf("exposed = %v, want exactly 22/tcp 68/udp 5353/udp 8443/tcp (numeric order)", names)
	}
	if got[0].Addresses[0] != "0.0.0.0" || got[0].Addresses[1] != "::" {
		t.Errorf("22/tcp addresses = %v, want both families merged into one service", got[0].Addresses)
	}
	if got[1].Processes[0] != processUnknownPID {
		t.Errorf("68/udp process = %v, want %q (never 'no process')", got[1].Processes, processUnknownPID)
	}
}

// Without pid 1's namespace, B23's host namespace is inferred from the
// lowest-pid listener and port 80 in the container namespace stays out.
func TestListeningPorts_B23_HostNamespaceInferred(t *testing.T) {
	c, lps := minLoadB23(t)
	d := ctlDoc("linux", func(d *facts.Document) { d.ListeningPorts.Items = lps })
	ns, source := listenerHostNamespace(ctlEnv(d))
	if ns != c.HostNS || !strings.Contains(source, "lowest-pid listener (pid 812)") {
		t.Fatalf("host namespace = %q (%s), want %q from the lowest pid", ns, source, c.HostNS)
	}
	d.HostNetNamespace = c.HostNS
	if ns, source = listenerHostNamespace(ctlEnv(d)); ns != c.HostNS || !strings.HasPrefix(source, "pid 1") {
		t.Fatalf("host namespace = %q (%s), want pid 1's", ns, source)
	}
	// One namespace only: it is the host's.
	one := ctlDoc("linux", func(d *facts.Document) { d.ListeningPorts.Items = lps[:3] })
	if ns, _ := listenerHostNamespace(ctlEnv(one)); ns != c.HostNS {
		t.Fatalf("single namespace = %q", ns)
	}
	// Several namespaces, no pid: every namespace counts (never hides exposure).
	nopid := append([]facts.ListeningPort(nil), lps...)
	for i := range nopid {
		nopid[i].PID = nil
	}
	all := ctlDoc("linux", func(d *facts.Document) { d.ListeningPorts.Items = nopid })
	if ns, source := listenerHostNamespace(ctlEnv(all)); ns != "" || !strings.Contains(source, "every namespace") {
		t.Fatalf("no-pid namespace = %q (%s), want \"\"", ns, source)
	}
}

func TestListeningPorts_AddressScopes(t *testing.T) {
	for addr, want := range map[string]listenerScope{
		"0.0.0.0": scopeAllInterfaces, "::": scopeAllInterfaces, "*": scopeAllInterfaces,
		"127.0.0.53": scopeLoopback, "::1": scopeLoopback, "::ffff:127.0.0.1": scopeLoopback,
		"169.254.10.1": scopeLinkLocal, "fe80::1%eth0": scopeLinkLocal, "[fe80::2]": scopeLinkLocal,
		"10.1.2.3": scopeSpecific, "2001:db8::5": scopeSpecific, "::ffff:192.0.2.7": scopeSpecific,
		"": scopeUnknownAddress, "not-an-ip": scopeUnknownAddress,
	} {
		if got := addressScope(addr); got != want {
			t.Errorf("addressScope(%q) = %s, want %s", addr, got, want)
		}
	}
}

func TestListeningPorts_NumericSort(t *testing.T) {
	var lps []facts.ListeningPort
	for _, p := range []int64{8080, 443, 22, 10000, 9, 443} {
		lps = append(lps, facts.ListeningPort{Port: ctlI(p), Protocol: ctlI(6), Address: "0.0.0.0", PID: ctlI(p)})
	}
	lps = append(lps, facts.ListeningPort{Port: ctlI(443), Protocol: ctlI(17), Address: "0.0.0.0"})
	got := fmt.Sprint(exposedServices(classifyListeners(lps, "", nil)))
	want := "[9/tcp 22/tcp 443/tcp 443/udp 8080/tcp 10000/tcp]"
	if got != want {
		t.Fatalf("order = %s, want %s", got, want)
	}
}

func TestAllowedPortsParsing(t *testing.T) {
	rules, bad := minParsePorts([]string{"22/tcp", "60000-61000/udp", "443", "x/tcp", "70000/tcp", "5-3/tcp"})
	if len(rules) != 3 || strings.Join(bad, ",") != "x/tcp,70000/tcp,5-3/tcp" {
		t.Fatalf("rules %v bad %v", rules, bad)
	}
	for _, c := range []struct {
		port  int64
		proto string
		want  bool
	}{{22, "tcp", true}, {22, "udp", false}, {60500, "udp", true}, {60500, "tcp", false}, {443, "udp", true}, {444, "tcp", false}} {
		if got := portAllowed(rules, c.port, c.proto); got != c.want {
			t.Errorf("portAllowed(%d/%s) = %v, want %v", c.port, c.proto, got, c.want)
		}
	}
}
