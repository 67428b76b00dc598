// SPDX-License-Identifier: Apache-2.0
//
// dejfa against the software a user would run instead, in one run, on the same frames and the
// same rules (issue "Performance"):
//   - dejfa: the Verilated core of CONFIG (no bubbles, m_axis always ready); its throughput is
//     implied at the configuration's clock: frames x clock / cycles, bytes x 8 x clock / cycles;
//   - Hyperscan 5.4, block mode, one core: every content literal of the rules (nocase ->
//     HS_FLAG_CASELESS, HS_FLAG_SINGLEMATCH), scanned over each frame's L4 payload (decoded
//     beforehand, outside the timing): the literal search alone, without the rest of a rule;
//   - libpcap BPF (pcap_offline_filter), one core: each rule's header (protocol, addresses,
//     ports, direction; not ttl, flags, itype, icode, dsize) as a filter expression; "per rule"
//     runs every rule's filter on every frame (the matched-rule set dejfa's classifier computes),
//     "any rule" runs one filter that ORs them (a pass/drop decision only);
//   - dejfa's reference model (C++, one core): full rule semantics.
// Prints one markdown row per engine: Mpps, Gbps of frame bytes, and dejfa's ratio to it.
// Figures are medians of RUNS runs with min-max.
//   bench_peers RUNS CONFIG RULES PCAP...

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <hs/hs.h>
#include <pcap/pcap.h>

#include "dejfa/gen/regs.hpp"

#include "dejfa/decode.hpp"
#include "dejfa/driver.hpp"
#include "dejfa/image_compile.hpp"
#include "dejfa/pcapio.hpp"
#include "dejfa/refmodel.hpp"
#include "dejfa/rules.hpp"
#include "dejfa/sim/core.hpp"

namespace {

struct Stat {
  double med, lo, hi;
};

Stat stat(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return {v[v.size() / 2], v.front(), v.back()};
}

/// Runs `body` RUNS times; returns the seconds of each run.
std::vector<double> timed(int runs, const std::function<void()>& body) {
  std::vector<double> s;
  for (int r = 0; r < runs; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    body();
    s.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  return s;
}

// ------------------------------------------------------------------ rule headers as BPF
std::string prefix_bpf(const dejfa::IpPrefix& p, const char* dir) {
  // dejfa's prefix lengths count a family bit first (IPv4 as mapped: 97 = all of IPv4)
  if (p.len == 0) return "(ip or ip6)";
  const unsigned plen = p.is_v6() ? p.len - 1U : p.len - 97U;
  if (plen == 0) return p.is_v6() ? "ip6" : "ip";
  return std::string(dir) + " net " + p.addr.str() + "/" + std::to_string(plen);
}

std::string addr_bpf(const dejfa::AddrExpr& e, const char* dir) {
  using K = dejfa::AddrExpr::Kind;
  if (e.kind == K::Any) return "";
  if (e.kind == K::Prefix) return prefix_bpf(e.prefix, dir);
  std::string pos, neg;
  for (const auto& it : e.items) {
    std::string x = addr_bpf(*it.expr, dir);
    if (x.empty()) x = "(ip or ip6)";
    std::string& into = it.negated ? neg : pos;
    into += (into.empty() ? "(" : " or (") + x + ")";
  }
  if (pos.empty()) pos = "(ip or ip6)";
  return neg.empty() ? "(" + pos + ")" : "((" + pos + ") and not (" + neg + "))";
}

std::string ports_bpf(const dejfa::PortSet& ps, const char* dir) {
  if (ps.is_all()) return "";
  std::string s;
  for (const auto& r : ps.ranges) {
    s += s.empty() ? "(" : " or ";
    s += r.lo == r.hi
             ? std::string(dir) + " port " + std::to_string(r.lo)
             : std::string(dir) + " portrange " + std::to_string(r.lo) + "-" + std::to_string(r.hi);
  }
  return s.empty() ? "(not ip and not ip6)" : s + ")";  // an empty set matches nothing
}

std::string and_all(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) {
    if (x.empty()) continue;
    s += (s.empty() ? "" : " and ") + x;
  }
  return s.empty() ? "(ip or ip6)" : s;
}

std::string rule_bpf(const dejfa::Rule& r) {
  using P = dejfa::Proto;
  std::string proto;
  switch (r.proto) {
    case P::Tcp:
      proto = "tcp";
      break;
    case P::Udp:
      proto = "udp";
      break;
    case P::Icmp:
      proto = "(icmp or icmp6)";
      break;
    case P::Icmp4:
      proto = "icmp";
      break;
    case P::Icmp6:
      proto = "icmp6";
      break;
    case P::Ip4:
      proto = "ip";
      break;
    case P::Ip6:
      proto = "ip6";
      break;
    case P::Ip:
      proto = "(ip or ip6)";
      break;
  }
  const auto dir = [&](bool swap) {
    return "(" +
           and_all({proto, addr_bpf(r.src, swap ? "dst" : "src"),
                    ports_bpf(r.sport, swap ? "dst" : "src"), addr_bpf(r.dst, swap ? "src" : "dst"),
                    ports_bpf(r.dport, swap ? "src" : "dst")}) +
           ")";
  };
  return r.bidirectional ? "(" + dir(false) + " or " + dir(true) + ")" : dir(false);
}

struct Bpf {
  bpf_program prog{};
  bool ok = false;
  Bpf(pcap_t* p, const std::string& expr) {
    ok = pcap_compile(p, &prog, expr.c_str(), 1, PCAP_NETMASK_UNKNOWN) == 0;
    if (!ok)
      std::fprintf(stderr, "bench_peers: BPF refused '%s': %s\n", expr.c_str(), pcap_geterr(p));
  }
  Bpf(const Bpf&) = delete;
  Bpf& operator=(const Bpf&) = delete;
  ~Bpf() {
    if (ok) pcap_freecode(&prog);
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: bench_peers RUNS CONFIG RULES PCAP...\n");
    return 64;
  }
  const int runs = std::max(1, std::atoi(argv[1]));
  const dejfa::hw::Config* cfg = nullptr;
  for (const auto& c : dejfa::hw::kConfigs)
    if (c.name == argv[2]) cfg = &c;
  if (cfg == nullptr) {
    std::fprintf(stderr, "bench_peers: unknown configuration %s\n", argv[2]);
    return 64;
  }
  const std::string rules_path = argv[3];
  auto lr = dejfa::load_rule_files({rules_path}, {});
  // A ruleset larger than one image (ET Open) is cut to the longest prefix that compiles for the
  // configuration, as the verification runs it in chunks; the peers get the same rules.
  const std::size_t loaded = lr.set.rules.size();
  lr.set.rules.resize(dejfa::fitting_run(lr.set, 0, *cfg));
  const auto& rs = lr.set;
  std::vector<std::vector<std::uint8_t>> frames;
  std::uint64_t bytes = 0;
  for (int i = 4; i < argc; ++i) {
    dejfa::PcapReader rd;
    std::string err;
    if (!rd.open(argv[i], err)) continue;  // unsupported link types are skipped
    dejfa::CapturedFrame f;
    while (rd.next(f)) {
      if (f.frame.size() > dejfa::hw::kFrameMaxB) continue;  // beyond the core's frame size
      bytes += f.frame.size();
      frames.push_back(std::move(f.frame));
    }
  }
  if (frames.empty() || rs.rules.empty()) {
    std::fprintf(stderr, "bench_peers: no frames or no rules\n");
    return 1;
  }
  const double n = static_cast<double>(frames.size());
  const double bits = static_cast<double>(bytes) * 8;
  std::string label = rules_path.substr(rules_path.find_last_of('/') + 1);
  label += " (" + std::to_string(rs.rules.size()) +
           (rs.rules.size() < loaded ? " of " + std::to_string(loaded) : std::string()) + " rules)";

  // ---- dejfa: the Verilated core, throughput implied at the clock
  const auto res = dejfa::compile(rs, *cfg);
  if (!res.ok) {
    std::fprintf(stderr, "bench_peers: the rules do not fit configuration %s\n", argv[2]);
    return 1;
  }
  dejfa::sim::CoreOptions o;
  o.seed = 1;
  auto core = dejfa::sim::CoreSim::create(*cfg, o);
  core->reset();
  dejfa::Driver drv(core->bus(), [&] { core->step(); });
  drv.identify();
  drv.load(res.image);
  drv.set_control(true, false, false);
  const std::uint64_t c0 = core->cycles();
  std::size_t next = 0, got = 0;
  std::uint64_t overflow = 0;
  while (got < frames.size()) {
    while (next < frames.size() && core->input_pending() < 4) core->push(frames[next++]);
    core->step();
    while (!core->meta().empty()) {
      overflow += core->meta().front().overflow ? 1U : 0U;
      core->meta().pop_front();
      ++got;
    }
    core->out().clear();
  }
  const double secs = static_cast<double>(core->cycles() - c0) / (cfg->clk_khz * 1e3);
  const double d_mpps = n / secs / 1e6, d_gbps = bits / secs / 1e9;

  std::printf(
      "| %s | %s | %zu | dejfa %s core (Verilated; at %.2f MHz) | %.2f | %.2f | 1 | %llu overflow, "
      "%llu stall cycles |\n",
      label.c_str(), argv[2], frames.size(), argv[2], cfg->clk_khz / 1e3, d_mpps, d_gbps,
      static_cast<unsigned long long>(overflow),
      static_cast<unsigned long long>(core->stall_cycles()));
  const auto row = [&](const char* engine, const std::vector<double>& s, const std::string& note) {
    std::vector<double> mpps, gbps;
    for (double x : s) {
      mpps.push_back(n / x / 1e6);
      gbps.push_back(bits / x / 1e9);
    }
    const Stat m = stat(mpps), g = stat(gbps);
    std::printf("| %s | %s | %zu | %s | %.3f (%.3f–%.3f) | %.3f (%.3f–%.3f) | %.2f | %s |\n",
                label.c_str(), argv[2], frames.size(), engine, m.med, m.lo, m.hi, g.med, g.lo, g.hi,
                d_gbps / g.med, note.c_str());
  };

  // ---- Hyperscan: every content literal, block mode, over each frame's payload
  dejfa::DecodeLimits lim;
  lim.hdr_win_b = cfg->hdr_win_b;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pay;  // offset, length per frame
  std::uint64_t pay_bytes = 0;
  for (const auto& f : frames) {
    const auto p = dejfa::decode(f, lim);
    if (p.payload_valid && p.payload_len > 0) {
      pay.emplace_back(p.payload_off, p.payload_len);
      pay_bytes += p.payload_len;
    } else {
      pay.emplace_back(0, 0);
    }
  }
  std::vector<std::string> lits;
  std::vector<unsigned> hflags, ids;
  for (const auto& r : rs.rules) {
    for (const auto& c : r.contents) {
      lits.emplace_back(c.bytes.begin(), c.bytes.end());
      hflags.push_back(HS_FLAG_SINGLEMATCH | (c.nocase ? HS_FLAG_CASELESS : 0U));
      ids.push_back(static_cast<unsigned>(ids.size()));
    }
  }
  if (!lits.empty()) {
    std::vector<const char*> ptr;
    std::vector<std::size_t> len;
    for (const auto& l : lits) {
      ptr.push_back(l.data());
      len.push_back(l.size());
    }
    hs_database_t* db = nullptr;
    hs_compile_error_t* cerr = nullptr;
    if (hs_compile_lit_multi(ptr.data(), hflags.data(), ids.data(), len.data(),
                             static_cast<unsigned>(lits.size()), HS_MODE_BLOCK, nullptr, &db,
                             &cerr) != HS_SUCCESS) {
      std::fprintf(stderr, "bench_peers: Hyperscan refused the literals: %s\n", cerr->message);
      hs_free_compile_error(cerr);
      return 1;
    }
    hs_scratch_t* scratch = nullptr;
    if (hs_alloc_scratch(db, &scratch) != HS_SUCCESS) {
      std::fprintf(stderr, "bench_peers: hs_alloc_scratch failed\n");
      return 1;
    }
    std::uint64_t matches = 0;
    const auto on_match = [](unsigned, unsigned long long, unsigned long long, unsigned,
                             void* ctx) -> int {
      ++*static_cast<std::uint64_t*>(ctx);
      return 0;
    };
    const auto s = timed(runs, [&] {
      matches = 0;
      for (std::size_t i = 0; i < frames.size(); ++i) {
        if (pay[i].second == 0) continue;
        hs_scan(db, reinterpret_cast<const char*>(frames[i].data() + pay[i].first), pay[i].second,
                0, scratch, on_match, &matches);
      }
    });
    row("Hyperscan 5.4 block mode, content literals only", s,
        std::to_string(lits.size()) + " literals; " + std::to_string(pay_bytes) +
            " payload bytes scanned; " + std::to_string(matches) + " (literal, frame) hits");
    hs_free_scratch(scratch);
    hs_free_database(db);
  }

  // ---- libpcap BPF: the rules' headers
  {
    std::unique_ptr<pcap_t, decltype(&pcap_close)> p(pcap_open_dead(DLT_EN10MB, 65535),
                                                     &pcap_close);
    std::vector<std::unique_ptr<Bpf>> per;
    std::string any;
    for (const auto& r : rs.rules) {
      const std::string e = rule_bpf(r);
      per.push_back(std::make_unique<Bpf>(p.get(), e));
      if (!per.back()->ok) return 1;
      any += (any.empty() ? "(" : " or (") + e + ")";
    }
    Bpf one(p.get(), any);
    if (!one.ok) return 1;
    std::vector<pcap_pkthdr> hdr(frames.size());
    for (std::size_t i = 0; i < frames.size(); ++i) {
      hdr[i].caplen = hdr[i].len = static_cast<bpf_u_int32>(frames[i].size());
    }
    std::uint64_t hits = 0;
    const auto s = timed(runs, [&] {
      hits = 0;
      for (std::size_t i = 0; i < frames.size(); ++i) {
        for (const auto& b : per)
          hits += pcap_offline_filter(&b->prog, &hdr[i], frames[i].data()) != 0;
      }
    });
    // The same header matches from dejfa's reference decoder, on frames without VLAN tags (the
    // BPF expressions do not look behind a tag): the filters are equivalent where both apply.
    // Only what the filters say: protocol, addresses, ports, direction.
    std::vector<dejfa::Rule> hdr_only(rs.rules);
    for (auto& h : hdr_only) {
      h.ttl.reset();
      h.ip_proto.reset();
      h.flags.reset();
      h.itype.reset();
      h.icode.reset();
      h.dsize.reset();
      h.contents.clear();
    }
    std::uint64_t bpf_untagged = 0, ref_untagged = 0;
    for (std::size_t i = 0; i < frames.size(); ++i) {
      const auto pk = dejfa::decode(frames[i], lim);
      if (pk.vlans != 0) continue;
      for (std::size_t r = 0; r < rs.rules.size(); ++r) {
        bpf_untagged += pcap_offline_filter(&per[r]->prog, &hdr[i], frames[i].data()) != 0;
        ref_untagged += dejfa::header_match(hdr_only[r], pk) ? 1U : 0U;
      }
    }
    row("libpcap BPF, one filter per rule", s,
        std::to_string(rs.rules.size()) + " filters; " + std::to_string(hits) +
            " (rule, frame) header matches; untagged frames: BPF " + std::to_string(bpf_untagged) +
            ", reference decoder " + std::to_string(ref_untagged));
    std::uint64_t any_hits = 0;
    const auto s1 = timed(runs, [&] {
      any_hits = 0;
      for (std::size_t i = 0; i < frames.size(); ++i)
        any_hits += pcap_offline_filter(&one.prog, &hdr[i], frames[i].data()) != 0;
    });
    row("libpcap BPF, one filter: any rule", s1,
        std::to_string(any_hits) + " frames match some rule's header");
  }

  // ---- the reference model
  {
    const dejfa::RefModel m(rs, lim);
    std::uint64_t alerts = 0;
    const auto s = timed(runs, [&] {
      alerts = 0;
      for (const auto& f : frames) alerts += m.judge(f).alerted.size();
    });
    row("dejfa reference model (C++, full semantics)", s, std::to_string(alerts) + " alerts");
  }
  return 0;
}
