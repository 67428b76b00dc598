// SPDX-License-Identifier: Apache-2.0
//
// Design model for header classification at firewall scale (issue #24, docs/ARCHITECTURE.md
// section 6). Not a benchmark of dejfa as built: it measures rule sets and captures to settle
// the classifier's design before any RTL is written.
//
//   bench_design_headers [--pcaps DIR] [--frames N] [--rules NAME=FILE ...]
//
// For each rule set (the files given, plus synthetic firewall sets with fixed seeds) it prints:
//  - header groups: distinct headers (everything of a rule but its contents and identity);
//  - elementary classes: address space (both families, in address order) and port space cut at
//    every boundary of every literal; merged classes: elementary classes with the same set of
//    groups (RFC's equivalence ids), per field;
//  - memory per bank of each combination option (bit vectors over rules, over groups, RFC's
//    first cross-product, index + verify);
//  - index + verify: each header-only group is indexed under the one field (source or
//    destination address, source or destination port) where it covers the fewest elementary
//    classes; groups that cover more than WIDE classes in every field are "wide" and go to a
//    small bit-vector classifier. Per packet, the four class lookups read one list each; every
//    entry is a (packet, group) verify job. The model counts jobs and true matches per packet
//    on the captures and on traffic aimed at the rules.
#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "dejfa/decode.hpp"
#include "dejfa/pcapio.hpp"
#include "dejfa/refmodel.hpp"
#include "dejfa/rules.hpp"

namespace {

using dejfa::AddrExpr;
using dejfa::IpAddr;
using dejfa::IpPrefix;
using dejfa::Packet;
using dejfa::PortSet;
using dejfa::Rule;
__extension__ using u128 = unsigned __int128;

// A point of the 129-bit key space, ordered: family, then address. {2, 0} is the end.
struct Key {
  unsigned fam = 0;
  u128 a = 0;
  auto operator<=>(const Key&) const = default;
};

u128 addr_bits(const IpAddr& a) {
  u128 x = 0;
  for (auto b : a.b) x = (x << 8) | b;
  return x;
}
Key key_of(const IpAddr& a) { return {a.v6 ? 1U : 0U, addr_bits(a)}; }

// [lo, hi) of a prefix in key space.
std::pair<Key, Key> span_of(const IpPrefix& p) {
  if (p.len == 0) return {{0, 0}, {2, 0}};
  const Key lo = key_of(p.addr);
  const unsigned host = 128U - (p.len - 1U);  // address bits below the prefix
  if (host == 128) return {lo, {lo.fam + 1, 0}};
  const u128 size = u128{1} << host;
  const u128 end = lo.a + size;
  if (end == 0) return {lo, {lo.fam + 1, 0}};  // wrapped: the family's last block
  return {lo, {lo.fam, end}};
}

IpAddr addr_of(const Key& k) {
  IpAddr a;
  a.v6 = k.fam == 1;
  u128 x = k.a;
  for (int i = 15; i >= 0; --i) {
    a.b[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(x & 0xFF);
    x >>= 8;
  }
  return a;
}

struct Range {
  std::uint32_t lo, hi;  // class ids, [lo, hi)
};

struct Field {
  std::vector<Range> r;
  [[nodiscard]] std::uint64_t cover() const {
    std::uint64_t c = 0;
    for (const auto& x : r) c += x.hi - x.lo;
    return c;
  }
};

// Class spaces: sorted boundaries; class of a point = number of boundaries <= point, minus 1.
struct AddrClasses {
  std::vector<Key> b;  // includes {0,0}
  [[nodiscard]] std::uint32_t cls(const Key& k) const {
    return static_cast<std::uint32_t>(std::upper_bound(b.begin(), b.end(), k) - b.begin() - 1);
  }
  [[nodiscard]] std::uint32_t n() const { return static_cast<std::uint32_t>(b.size()); }
};

// Port classes: 0 = packet without ports; 1 + elementary interval of the 16-bit space.
struct PortClasses {
  std::vector<std::uint32_t> b;  // includes 0
  [[nodiscard]] std::uint32_t cls(std::uint16_t p) const {
    return 1 + static_cast<std::uint32_t>(std::upper_bound(b.begin(), b.end(), p) - b.begin() - 1);
  }
  [[nodiscard]] std::uint32_t n() const { return 1 + static_cast<std::uint32_t>(b.size()); }
};

Field addr_field(const AddrExpr& e, const AddrClasses& ac) {
  std::vector<IpPrefix> lits;
  e.collect(lits);
  std::vector<Key> own{{0, 0}, {1, 0}, {2, 0}};
  for (const auto& p : lits) {
    auto [lo, hi] = span_of(p);
    own.push_back(lo);
    own.push_back(hi);
  }
  std::sort(own.begin(), own.end());
  own.erase(std::unique(own.begin(), own.end()), own.end());
  Field f;
  for (std::size_t i = 0; i + 1 < own.size(); ++i) {
    if (!e.contains(addr_of(own[i]))) continue;
    const std::uint32_t lo = ac.cls(own[i]);
    const std::uint32_t hi = own[i + 1] == Key{2, 0} ? ac.n() : ac.cls(own[i + 1]);
    if (!f.r.empty() && f.r.back().hi == lo) {
      f.r.back().hi = hi;
    } else {
      f.r.push_back({lo, hi});
    }
  }
  return f;
}

// A rule with ports never matches a packet without them (class 0); `any` matches every class.
Field port_field(const PortSet& s, bool rule_has_ports, const PortClasses& pc) {
  Field f;
  if (!rule_has_ports) {
    f.r.push_back({0, pc.n()});
    return f;
  }
  for (const auto& r : s.ranges) {
    const std::uint32_t lo = pc.cls(r.lo);
    const std::uint32_t hi = r.hi == 65535 ? pc.n() : pc.cls(static_cast<std::uint16_t>(r.hi + 1));
    if (!f.r.empty() && f.r.back().hi == lo) {
      f.r.back().hi = hi;
    } else {
      f.r.push_back({lo, hi});
    }
  }
  return f;
}

std::string header_key(const Rule& r) {
  std::string k = dejfa::proto_name(r.proto);
  k += '|' + r.src.str() + '|' + r.sport.str() + (r.bidirectional ? "<>" : "->") + r.dst.str() +
       '|' + r.dport.str();
  auto opt = [&](const char* n, const std::optional<dejfa::UintMatch>& m) {
    if (m) k += std::string("|") + n + m->str();
  };
  opt("dsize", r.dsize);
  opt("ttl", r.ttl);
  opt("itype", r.itype);
  opt("icode", r.icode);
  opt("ipproto", r.ip_proto);
  if (r.flags) k += "|flags" + r.flags->str();
  k += r.contents.empty() ? "|nc" : (r.has_positive_content() ? "|pc" : "|nn");
  return k;
}

struct Group {
  const Rule* rep;
  bool header_only;
  Field f[4];  // src addr, dst addr, sport, dport
};

// Pseudo-random 64-bit value per group for the additive class hash (equivalence ids).
std::uint64_t mix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

std::uint32_t eq_count(const std::vector<Group>& g, int field, std::uint32_t nclasses) {
  std::vector<std::uint64_t> d(nclasses + 1, 0);
  for (std::size_t i = 0; i < g.size(); ++i) {
    const std::uint64_t z = mix(i * 4 + static_cast<std::uint64_t>(field));
    for (const auto& r : g[i].f[field].r) {
      d[r.lo] += z;
      d[r.hi] -= z;
    }
  }
  std::set<std::uint64_t> seen;
  std::uint64_t acc = 0;
  for (std::uint32_t c = 0; c < nclasses; ++c) {
    acc += d[c];
    seen.insert(acc);
  }
  return static_cast<std::uint32_t>(seen.size());
}

struct Dist {
  std::vector<std::uint32_t> v;
  void add(std::uint32_t x) { v.push_back(x); }
  [[nodiscard]] std::string str() {
    if (v.empty()) return "-";
    std::sort(v.begin(), v.end());
    double sum = 0;
    for (auto x : v) sum += x;
    char buf[96];
    std::snprintf(buf, sizeof buf, "%.2f / %u / %u", sum / static_cast<double>(v.size()),
                  v[v.size() * 99 / 100], v.back());
    return buf;
  }
};

double mb(double bits) { return bits / 1e6; }
unsigned bits_for(std::uint64_t n) {
  unsigned b = 1;
  while ((std::uint64_t{1} << b) < n) ++b;
  return b;
}

struct Model {
  std::string name;
  std::vector<Rule> rules;
  std::vector<Group> groups;
  AddrClasses ac;
  PortClasses pc;
  // index: lists[field][class] of (group, reversed)
  std::vector<std::vector<std::pair<std::uint32_t, bool>>> lists[4];
  std::vector<std::uint32_t> wide;
  std::uint64_t entries = 0;
  std::uint32_t wide_limit = 0;

  std::uint32_t slots = 2;

  void build(std::uint32_t wide_lim, std::uint32_t nslots) {
    wide_limit = wide_lim;
    slots = nslots;
    std::map<std::string, std::size_t> by_key;
    std::vector<std::size_t> rep;
    for (const auto& r : rules) {
      auto [it, fresh] = by_key.emplace(header_key(r), rep.size());
      if (fresh) rep.push_back(static_cast<std::size_t>(&r - rules.data()));
    }
    std::set<Key> ab{{0, 0}, {1, 0}};
    std::set<std::uint32_t> pb{0};
    for (auto i : rep) {
      const Rule& r = rules[i];
      for (const AddrExpr* e : {&r.src, &r.dst}) {
        std::vector<IpPrefix> lits;
        e->collect(lits);
        for (const auto& p : lits) {
          auto [lo, hi] = span_of(p);
          ab.insert(lo);
          if (hi != Key{2, 0}) ab.insert(hi);
        }
      }
      for (const PortSet* s : {&r.sport, &r.dport}) {
        for (const auto& x : s->ranges) {
          pb.insert(x.lo);
          if (x.hi != 65535) pb.insert(x.hi + 1U);
        }
      }
    }
    ac.b.assign(ab.begin(), ab.end());
    pc.b.assign(pb.begin(), pb.end());
    for (auto i : rep) {
      const Rule& r = rules[i];
      const bool ports = !r.sport.is_all() || !r.dport.is_all();
      Group g{&r, r.contents.empty(), {}};
      g.f[0] = addr_field(r.src, ac);
      g.f[1] = addr_field(r.dst, ac);
      g.f[2] = port_field(r.sport, ports, pc);
      g.f[3] = port_field(r.dport, ports, pc);
      groups.push_back(std::move(g));
    }
    for (int f = 0; f < 4; ++f) lists[f].assign(f < 2 ? ac.n() : pc.n(), {});
    // Greedy placement, most selective groups first: a group goes into the lists of its most
    // selective usable field (covering at most WIDE classes and under half of them) where every
    // list it would join has fewer than SLOTS entries; a bidirectional group also into the
    // mirrored field's lists. Otherwise it is wide.
    std::vector<std::uint32_t> order;
    for (std::uint32_t gi = 0; gi < groups.size(); ++gi) {
      if (groups[gi].header_only) order.push_back(gi);
    }
    auto min_cover = [&](std::uint32_t gi) {
      std::uint64_t c = ~std::uint64_t{0};
      for (const auto& f : groups[gi].f) c = std::min(c, f.cover());
      return c;
    };
    std::stable_sort(order.begin(), order.end(),
                     [&](auto x, auto y) { return min_cover(x) < min_cover(y); });
    for (auto gi : order) {
      const Group& g = groups[gi];
      int fs[4] = {0, 1, 2, 3};
      std::sort(fs, fs + 4, [&](int x, int y) { return g.f[x].cover() < g.f[y].cover(); });
      bool placed = false;
      for (int best : fs) {
        const std::uint64_t c = g.f[best].cover();
        const std::uint64_t all = best < 2 ? ac.n() : pc.n();
        if (c > wide_limit || 2 * c >= all) break;
        const int m = best ^ 1;  // src <-> dst, sport <-> dport
        bool room = true;
        for (const auto& x : g.f[best].r) {
          for (auto k = x.lo; k < x.hi && room; ++k) {
            room = lists[best][k].size() < slots &&
                   (!g.rep->bidirectional || lists[m][k].size() < slots);
          }
        }
        if (!room) continue;
        for (const auto& x : g.f[best].r) {
          for (auto k = x.lo; k < x.hi; ++k) {
            lists[best][k].push_back({gi, false}), ++entries;
            if (g.rep->bidirectional) lists[m][k].push_back({gi, true}), ++entries;
          }
        }
        placed = true;
        break;
      }
      if (!placed) wide.push_back(gi);
    }
  }

  [[nodiscard]] std::uint32_t max_list(int f) const {
    std::size_t m = 0;
    for (const auto& l : lists[f]) m = std::max(m, l.size());
    return static_cast<std::uint32_t>(m);
  }

  // Verify jobs for one packet, and the true header matches among header-only groups: found
  // through the index (jobs that verify, counted once per group) plus the wide groups. With
  // `full`, every group is also evaluated and a match the index missed is fatal.
  void judge(const Packet& p, std::uint32_t& jobs, std::uint32_t& hits, std::uint32_t& whits,
             bool full) const {
    jobs = hits = whits = 0;
    std::set<std::uint32_t> found;
    if (p.ip) {
      const bool ports = p.has_ports() && !p.fragment;
      const std::uint32_t c[4] = {ac.cls(key_of(p.src)), ac.cls(key_of(p.dst)),
                                  ports ? pc.cls(p.sport) : 0U, ports ? pc.cls(p.dport) : 0U};
      for (int f = 0; f < 4; ++f) {
        for (const auto& [gi, rev] : lists[f][c[f]]) {
          ++jobs;
          (void)rev;
          if (dejfa::header_match(*groups[gi].rep, p)) found.insert(gi);
        }
      }
      for (auto gi : wide) {
        if (dejfa::header_match(*groups[gi].rep, p)) found.insert(gi), ++whits;
      }
    }
    hits = static_cast<std::uint32_t>(found.size());
    if (!full) return;
    for (std::uint32_t gi = 0; gi < groups.size(); ++gi) {
      if (groups[gi].header_only && dejfa::header_match(*groups[gi].rep, p) &&
          found.count(gi) == 0) {
        std::fprintf(stderr, "%s: the index misses group %u (%s)\n", name.c_str(), gi,
                     groups[gi].rep->text.c_str());
        std::exit(1);
      }
    }
  }
};

void report(Model& m, const std::vector<Packet>& real, const std::vector<Packet>& aimed) {
  std::size_t ho = 0;
  for (const auto& g : m.groups) ho += g.header_only ? 1 : 0;
  const double n = static_cast<double>(m.rules.size());
  const double g = static_cast<double>(m.groups.size());
  std::uint32_t eq[4];
  for (int f = 0; f < 4; ++f) eq[f] = eq_count(m.groups, f, f < 2 ? m.ac.n() : m.pc.n());
  const double rows = static_cast<double>(eq[0]) + eq[1] + eq[2] + eq[3];
  // RFC's first cross-products: (src, dst) and (sport, dport), 16-bit eq ids.
  const double rfc = (static_cast<double>(eq[0]) * eq[1] + static_cast<double>(eq[2]) * eq[3]) * 16;
  // Its second: (address pair id, port pair id); at least max(src, dst) x max(sport, dport) ids.
  const double rfc2 = static_cast<double>(std::max(eq[0], eq[1])) * std::max(eq[2], eq[3]) * 16;
  // Index + verify as designed (docs/ARCHITECTURE.md section 6), per bank: the address search
  // tree (one 129-bit boundary per class), the address class records and the 64 K port records
  // (per class/port: two slots of (group id, reversed, valid) for the source-side and for the
  // destination-side lookup, and a 12-bit wide-class id for each), the group records (4 fields x
  // 2 class ranges x 2 x 16 b + 64 b of small-field masks) and the wide bit vectors (wide
  // equivalence classes x WIDE_N).
  const unsigned gid = bits_for(m.groups.size()) + 2;
  const double rec = 2.0 * (m.slots * gid + 12);
  std::uint32_t weq[4];
  {
    std::vector<Group> wg;
    for (auto gi : m.wide) wg.push_back(m.groups[gi]);
    for (int f = 0; f < 4; ++f) weq[f] = eq_count(wg, f, f < 2 ? m.ac.n() : m.pc.n());
  }
  const double iv_tree = static_cast<double>(m.ac.n()) * 129;
  const double iv_rec = static_cast<double>(m.ac.n()) * rec + 65537.0 * rec;
  const double iv_grp = g * (4 * 2 * 2 * 16 + 64);
  const double iv_wide = (static_cast<double>(weq[0]) + weq[1] + weq[2] + weq[3]) *
                         static_cast<double>(std::max<std::size_t>(m.wide.size(), 1));
  const double iv = iv_tree + iv_rec + iv_grp + iv_wide;
  std::printf("\n### %s\n\n", m.name.c_str());
  std::printf("| figure | value |\n|---|---:|\n");
  std::printf("| rules | %zu |\n| header groups (distinct headers) | %zu |\n", m.rules.size(),
              m.groups.size());
  std::printf("| header-only groups | %zu |\n", ho);
  std::printf("| address classes: elementary / merged src / merged dst | %u / %u / %u |\n",
              m.ac.n(), eq[0], eq[1]);
  std::printf("| port classes: elementary / merged sport / merged dport | %u / %u / %u |\n",
              m.pc.n(), eq[2], eq[3]);
  std::printf("| bit vectors over rules, Mb per bank | %.2f |\n", mb(rows * n));
  std::printf("| bit vectors over header groups, Mb per bank | %.2f |\n", mb(rows * g));
  std::printf(
      "| RFC cross-products, Mb per bank: first phase / second phase (at least) | %.2f / "
      "%.2f |\n",
      mb(rfc), mb(rfc2));
  std::printf(
      "| index + verify, Mb per bank (tree + class records + group records + wide) | "
      "%.2f (%.2f + %.2f + %.2f + %.2f) |\n",
      mb(iv), mb(iv_tree), mb(iv_rec), mb(iv_grp), mb(iv_wide));
  std::printf("| index entries / wide groups / wide equivalence classes (s, d, sp, dp) | %" PRIu64
              " / %zu / %u, %u, %u, %u |\n",
              m.entries, m.wide.size(), weq[0], weq[1], weq[2], weq[3]);
  std::printf("| longest list: src addr / dst addr / sport / dport | %u / %u / %u / %u |\n",
              m.max_list(0), m.max_list(1), m.max_list(2), m.max_list(3));
  for (const auto* set : {&real, &aimed}) {
    if (set->empty()) continue;
    Dist jobs, hits, whits;
    for (std::size_t i = 0; i < set->size(); ++i) {
      std::uint32_t j, h, w;
      m.judge((*set)[i], j, h, w, i < 3000);
      jobs.add(j);
      hits.add(h - w);
      whits.add(w);
    }
    const char* what = set == &real ? "real captures" : "traffic aimed at the rules";
    std::printf("| %s (%zu packets): index slots read per packet, mean / p99 / max | %s |\n", what,
                set->size(), jobs.str().c_str());
    std::printf("| %s: matches per packet, indexed groups, mean / p99 / max | %s |\n", what,
                hits.str().c_str());
    std::printf("| %s: matches per packet, wide groups, mean / p99 / max | %s |\n", what,
                whits.str().c_str());
  }
}

// ---- synthetic rule sets ---------------------------------------------------------------------

std::string v4(std::uint32_t x) {
  char b[32];
  std::snprintf(b, sizeof b, "%u.%u.%u.%u", x >> 24, (x >> 16) & 255, (x >> 8) & 255, x & 255);
  return b;
}
std::string v6(std::mt19937_64& rng) {
  char b[64];
  std::snprintf(b, sizeof b, "2001:db8:%x:%x:%x:%x:%x:%x", static_cast<unsigned>(rng() & 0xFFFF),
                static_cast<unsigned>(rng() & 0xFFFF), static_cast<unsigned>(rng() & 0xFFFF),
                static_cast<unsigned>(rng() & 0xFFFF), static_cast<unsigned>(rng() & 0xFFFF),
                static_cast<unsigned>(rng() & 0xFFFF));
  return b;
}

// Worst case named by the issue: every rule its own /32 or /128 and its own port.
std::string fw_own(std::uint32_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string s;
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::string a =
        (i % 2) != 0U ? v6(rng) : v4(0x0A000000U | static_cast<std::uint32_t>(rng() & 0xFFFFFF));
    const unsigned port = 1 + static_cast<unsigned>(rng() % 65535);
    s += "drop " + std::string((i % 3) != 0U ? "tcp" : "udp") + " any any -> " + a + " " +
         std::to_string(port) + " (sid:" + std::to_string(100000 + i) + ";)\n";
  }
  return s;
}

// Firewall shape: v4/v6 prefixes of every length, lists with negation, port singles, ranges and
// lists, both directions, selective on source or destination, some TTL/flags/ICMP rules.
std::string fw_mixed(std::uint32_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto u = [&](std::uint32_t k) { return static_cast<std::uint32_t>(rng() % k); };
  auto pfx4 = [&]() {
    const std::uint32_t len = 8 + u(25);
    const std::uint32_t a = static_cast<std::uint32_t>(rng()) & (len == 0 ? 0 : ~0U << (32 - len));
    return v4(a) + "/" + std::to_string(len);
  };
  auto pfx6 = [&]() { return v6(rng) + "/" + std::to_string(32 + u(97)); };
  auto addr = [&]() -> std::string {
    switch (u(8)) {
      case 0:
        return "[" + pfx4() + "," + pfx4() + "]";
      case 1:
        return "[" + pfx4() + ",!" + v4(static_cast<std::uint32_t>(rng())) + "]";
      case 2:
        return pfx6();
      case 3:
        return "[" + pfx6() + "," + pfx4() + "]";
      default:
        return pfx4();
    }
  };
  auto port = [&]() -> std::string {
    switch (u(6)) {
      case 0: {
        const auto lo = 1 + u(60000);
        return std::to_string(lo) + ":" + std::to_string(lo + u(2000));
      }
      case 1:
        return "[" + std::to_string(1 + u(65535)) + "," + std::to_string(1 + u(65535)) + "]";
      default:
        return std::to_string(1 + u(65535));
    }
  };
  static const char* kProto[] = {"tcp", "tcp", "tcp", "udp", "udp", "ip", "icmp"};
  std::string s;
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::string proto = kProto[u(7)];
    const bool ports = proto == "tcp" || proto == "udp";
    std::string src = "any", dst = "any", sp = "any", dp = "any";
    switch (u(4)) {
      case 0:  // inbound to a host or net, a service port or all but one
        dst = addr();
        if (ports) dp = u(6) == 0 ? "!" + std::to_string(1 + u(65535)) : port();
        break;
      case 1:  // from a blocked source
        src = addr();
        break;
      case 2:  // a pair of nets
        src = addr();
        dst = addr();
        if (ports && u(2) == 0) dp = port();
        break;
      default:  // a port only, or a source port
        if (ports) {
          (u(3) == 0 ? sp : dp) = port();
        } else {
          dst = addr();
        }
        break;
    }
    std::string extra;
    if (proto == "tcp" && u(8) == 0) extra = "flags:S,12; ";
    if (u(16) == 0) extra += "ttl:<" + std::to_string(2 + u(60)) + "; ";
    if (proto == "icmp") extra += "itype:" + std::to_string(u(20)) + "; ";
    s += std::string(u(4) == 0 ? "alert " : "drop ") + proto + " " + src + " " + sp +
         (u(10) == 0 ? " <> " : " -> ") + dst + " " + dp + " (" + extra +
         "sid:" + std::to_string(200000 + i) + ";)\n";
  }
  return s;
}

// The "1,000 rules with random ports": alert tcp any any -> 10.N.0.0/16 PORT (content).
std::string ports_random(std::uint32_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string s;
  for (std::uint32_t i = 0; i < n; ++i) {
    s += "alert tcp any any -> 10." + std::to_string(i % 256) + ".0.0/16 " +
         std::to_string(1 + rng() % 65535) + " (content:\"x" + std::to_string(i) +
         "\"; sid:" + std::to_string(300000 + i) + ";)\n";
  }
  return s;
}

// Packets aimed at random header-only groups (a point in each field's covered classes), and as
// many with random addresses and ports.
std::vector<Packet> aim(const Model& m, std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Packet> out;
  std::vector<std::uint32_t> ho;
  for (std::uint32_t i = 0; i < m.groups.size(); ++i) {
    if (m.groups[i].header_only) ho.push_back(i);
  }
  auto pick = [&](const Field& f) -> std::uint32_t {
    const auto& r = f.r[rng() % f.r.size()];
    return r.lo + static_cast<std::uint32_t>(rng() % (r.hi - r.lo));
  };
  for (std::size_t i = 0; i < n; ++i) {
    Packet p;
    p.ip = true;
    p.l4 = (rng() % 3) != 0U ? Packet::L4::Tcp : Packet::L4::Udp;
    p.proto = p.l4 == Packet::L4::Tcp ? 6 : 17;
    p.ttl = 64;
    p.tcp_flags = 0x02;
    p.payload_valid = true;
    if ((i % 2) == 0 && !ho.empty()) {
      const Group& g = m.groups[ho[rng() % ho.size()]];
      const std::uint32_t cs = pick(g.f[0]), cd = pick(g.f[1]);
      p.src = addr_of(m.ac.b[cs]);
      p.dst = addr_of(m.ac.b[cd]);
      if (p.src.v6 != p.dst.v6) p.src = addr_of({p.dst.v6 ? 1U : 0U, m.ac.b[cs].a});
      p.v6 = p.dst.v6;
      const std::uint32_t ps = pick(g.f[2]), pd = pick(g.f[3]);
      p.sport = static_cast<std::uint16_t>(ps == 0 ? 1 : m.pc.b[ps - 1]);
      p.dport = static_cast<std::uint16_t>(pd == 0 ? 80 : m.pc.b[pd - 1]);
    } else {
      p.v6 = (rng() % 4) == 0;
      for (IpAddr* a : {&p.src, &p.dst}) {
        *a = p.v6 ? addr_of({1, (u128{rng()} << 64) | rng()})
                  : IpAddr::v4(static_cast<std::uint32_t>(rng()));
      }
      p.sport = static_cast<std::uint16_t>(rng());
      p.dport = static_cast<std::uint16_t>(rng());
    }
    out.push_back(p);
  }
  return out;
}

std::vector<Packet> read_pcaps(const std::string& dir, std::size_t limit) {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    const auto ext = e.path().extension().string();
    if (e.is_regular_file() && (ext == ".pcap" || ext == ".pcapng")) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<Packet> out;
  for (const auto& f : files) {
    dejfa::PcapReader rd;
    std::string err;
    if (!rd.open(f, err)) continue;
    dejfa::CapturedFrame fr;
    while (out.size() < limit && rd.next(fr)) out.push_back(dejfa::decode(fr.frame));
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::string pcaps;
  std::size_t frames = 1'000'000;
  std::uint32_t wide = 64, slots = 2;
  std::vector<std::pair<std::string, std::string>> files;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--pcaps" && i + 1 < argc) {
      pcaps = argv[++i];
    } else if (a == "--frames" && i + 1 < argc) {
      frames = std::strtoull(argv[++i], nullptr, 10);
    } else if (a == "--wide" && i + 1 < argc) {
      wide = static_cast<std::uint32_t>(std::strtoul(argv[++i], nullptr, 10));
    } else if (a == "--slots" && i + 1 < argc) {
      slots = static_cast<std::uint32_t>(std::strtoul(argv[++i], nullptr, 10));
    } else if (a == "--rules" && i + 1 < argc) {
      const std::string s = argv[++i];
      const auto eq = s.find('=');
      if (eq == std::string::npos) {
        std::fprintf(stderr, "--rules takes NAME=FILE\n");
        return 2;
      }
      files.emplace_back(s.substr(0, eq), s.substr(eq + 1));
    } else {
      std::fprintf(
          stderr,
          "usage: %s [--pcaps DIR] [--frames N] [--wide N] [--slots N] [--rules NAME=FILE]\n",
          argv[0]);
      return 2;
    }
  }
  const std::vector<Packet> real =
      pcaps.empty() ? std::vector<Packet>{} : read_pcaps(pcaps, frames);
  std::vector<std::pair<std::string, std::string>> synth = {
      {"firewall, own /32 or /128 and own port, 8,192 rules", fw_own(8192, 1)},
      {"firewall, own /32 or /128 and own port, 16,384 rules", fw_own(16384, 2)},
      {"firewall shape (prefixes, lists, negation, ranges, <>), 8,192 rules", fw_mixed(8192, 3)},
      {"1,000 content rules, random ports", ports_random(1000, 4)},
  };
  std::vector<Model> models;
  for (const auto& [name, path] : files) {
    auto res = dejfa::load_rule_files({path}, {});
    Model m;
    m.name = name + " (" + std::to_string(res.stats.loaded) + " of " +
             std::to_string(res.stats.rules) + " rules load)";
    m.rules = std::move(res.set.rules);
    models.push_back(std::move(m));
  }
  for (const auto& [name, text] : synth) {
    dejfa::LoadResult res;
    dejfa::parse_rules(text, name, {}, res);
    if (res.stats.skipped != 0) {
      std::fprintf(stderr, "%s: %zu rules skipped\n", name.c_str(), res.stats.skipped);
      return 1;
    }
    Model m;
    m.name = name;
    m.rules = std::move(res.set.rules);
    models.push_back(std::move(m));
  }
  std::printf(
      "Header classification model (bench/design_headers.cpp): index fields cover at most "
      "%u classes, %u slots per class and field\n",
      wide, slots);
  for (auto& m : models) {
    m.build(wide, slots);
    report(m, real, aim(m, 200'000, 7));
  }
  return 0;
}
