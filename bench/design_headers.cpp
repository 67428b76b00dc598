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
//  - index + verify, as built by dejfa::hdr (host/image/src/hdr_index.cpp): indexed and wide
//  groups,
//    slots read (verify jobs) and matches per packet on the captures and on traffic aimed at
//    the rules.
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

#include "../tests/common/randgen.hpp"
#include "dejfa/decode.hpp"
#include "dejfa/hdr_index.hpp"
#include "dejfa/pcapio.hpp"
#include "dejfa/refmodel.hpp"
#include "dejfa/rules.hpp"
#include "dist.hpp"

namespace {

using dejfa::IpAddr;
using dejfa::Packet;
namespace hdr = dejfa::hdr;

// Pseudo-random 64-bit value per group for the additive class hash (equivalence ids).
std::uint64_t mix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// Merged classes of a field: elementary classes with the same set of `groups`.
std::uint32_t eq_count(const hdr::Index& idx, const std::vector<std::uint32_t>& groups,
                       unsigned field) {
  const auto n =
      static_cast<std::uint32_t>(field < 2 ? idx.addr_bounds.size() : idx.port_bounds.size() + 1);
  std::vector<std::uint64_t> d(n + 1, 0);
  for (const auto gi : groups) {
    const std::uint64_t z = mix(gi * 4ULL + field);
    for (const auto& r : idx.groups[gi].f[field].ranges) {
      d[r.lo] += z;
      d[r.hi] -= z;
    }
  }
  std::set<std::uint64_t> seen;
  std::uint64_t acc = 0;
  for (std::uint32_t c = 0; c < n; ++c) {
    acc += d[c];
    seen.insert(acc);
  }
  return static_cast<std::uint32_t>(seen.size());
}

using dejfa::bench::Dist;

double mb(double bits) { return bits / 1e6; }
unsigned bits_for(std::uint64_t n) {
  unsigned b = 1;
  while ((std::uint64_t{1} << b) < n) ++b;
  return b;
}

void report(const std::string& name, const dejfa::RuleSet& rs, const hdr::Index& idx,
            const std::vector<Packet>& real, const std::vector<Packet>& aimed) {
  std::vector<std::uint32_t> all(idx.groups.size());
  std::size_t ho = 0;
  for (std::uint32_t i = 0; i < all.size(); ++i) all[i] = i, ho += idx.groups[i].header_only;
  const double n = static_cast<double>(rs.rules.size());
  const double g = static_cast<double>(idx.groups.size());
  const auto naddr = static_cast<std::uint32_t>(idx.addr_bounds.size());
  const auto nport = static_cast<std::uint32_t>(idx.port_bounds.size() + 1);
  std::uint32_t eq[4], weq[4];
  for (unsigned f = 0; f < 4; ++f) {
    eq[f] = eq_count(idx, all, f);
    weq[f] = eq_count(idx, idx.wide_groups, f);
  }
  const double rows = static_cast<double>(eq[0]) + eq[1] + eq[2] + eq[3];
  // RFC's first cross-products: (src, dst) and (sport, dport), 16-bit eq ids; its second:
  // (address pair id, port pair id), at least max(src, dst) x max(sport, dport) ids.
  const double rfc = (static_cast<double>(eq[0]) * eq[1] + static_cast<double>(eq[2]) * eq[3]) * 16;
  const double rfc2 = static_cast<double>(std::max(eq[0], eq[1])) * std::max(eq[2], eq[3]) * 16;
  // Index + verify as designed (docs/ARCHITECTURE.md section 6), per bank: the address search
  // tree (one 129-bit boundary per class), the address class records and the 64 K port records
  // (per class/port: `slots` slots of (group id, reversed, valid) for the source-side and for
  // the destination-side lookup, and a 12-bit wide-class id for each), the group records (4
  // fields x 2 class ranges x 2 x 16 b + 64 b of spec and flags) and the wide bit vectors (wide
  // equivalence classes x WIDE_N).
  const unsigned gid = bits_for(idx.groups.size()) + 2;
  const double rec = 2.0 * (idx.lim.slots * gid + 12);
  const double iv_tree = static_cast<double>(naddr) * 129;
  const double iv_rec = static_cast<double>(naddr) * rec + 65537.0 * rec;
  const double iv_grp = g * (4 * 2 * 2 * 16 + 64);
  const double iv_wide = (static_cast<double>(weq[0]) + weq[1] + weq[2] + weq[3]) *
                         static_cast<double>(std::max<std::uint32_t>(idx.wide_rules, 1));
  const double iv = iv_tree + iv_rec + iv_grp + iv_wide;
  std::printf("\n### %s\n\n", name.c_str());
  std::printf("| figure | value |\n|---|---:|\n");
  std::printf("| rules | %zu |\n| header groups (distinct headers) | %zu |\n", rs.rules.size(),
              idx.groups.size());
  std::printf("| header-only groups | %zu |\n", ho);
  std::printf("| address classes: elementary / merged src / merged dst | %u / %u / %u |\n", naddr,
              eq[0], eq[1]);
  std::printf("| port classes: elementary / merged sport / merged dport | %u / %u / %u |\n", nport,
              eq[2], eq[3]);
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
  std::printf(
      "| indexed / wide groups (wide rules); wide equivalence classes (s, d, sp, dp) | "
      "%zu / %zu (%u); %u, %u, %u, %u |\n",
      ho - idx.wide_groups.size(), idx.wide_groups.size(), idx.wide_rules, weq[0], weq[1], weq[2],
      weq[3]);
  std::printf("| complex sets: address / port; specs | %zu / %zu; %zu |\n", idx.csets[0].size(),
              idx.csets[1].size(), idx.specs.size());
  // Rules per indexed group: the counters and actions of an indexed group's rules are kept per
  // group record (at most 2 rules; ARCHITECTURE.md section 6, "Counters and actions").
  std::size_t most = 0, over = 0, over_rules = 0;
  for (const auto& gr : idx.groups) {
    if (!gr.header_only || gr.wide) continue;
    most = std::max(most, gr.rules.size());
    if (gr.rules.size() > 2) ++over, over_rules += gr.rules.size();
  }
  std::printf(
      "| rules per indexed group: most; groups with more than 2 (their rules) | %zu; %zu "
      "(%zu) |\n",
      most, over, over_rules);
  for (const auto* set : {&real, &aimed}) {
    if (set->empty()) continue;
    Dist jobs, hits, whits;
    for (const auto& p : *set) {
      hdr::Work w;
      const auto m = hdr::matched_groups(idx, p, &w);
      std::uint32_t wide = 0;
      for (const auto gi : m) wide += idx.groups[gi].wide ? 1U : 0U;
      jobs.add(w.jobs);
      hits.add(static_cast<std::uint32_t>(m.size()) - wide);
      whits.add(wide);
    }
    const char* what = set == &real ? "real captures" : "traffic aimed at the rules";
    std::printf("| %s (%zu packets): slots read per packet, mean / p99 / max | %s |\n", what,
                set->size(), jobs.str().c_str());
    std::printf("| %s: matches per packet, indexed groups, mean / p99 / max | %s |\n", what,
                hits.str().c_str());
    std::printf("| %s: matches per packet, wide groups, mean / p99 / max | %s |\n", what,
                whits.str().c_str());
  }
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

// Packets aimed at random header-only groups (the first class of each field's ranges, or a
// random one of them), and as many with random addresses and ports.
std::vector<Packet> aim(const hdr::Index& idx, std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Packet> out;
  std::vector<std::uint32_t> ho;
  for (std::uint32_t i = 0; i < idx.groups.size(); ++i) {
    if (idx.groups[i].header_only) ho.push_back(i);
  }
  auto pick = [&](const hdr::FieldSet& f) -> std::uint32_t {
    const auto& r = f.ranges[rng() % f.ranges.size()];
    return r.lo + static_cast<std::uint32_t>(rng() % (r.hi - r.lo));
  };
  auto rand_addr = [&](bool v6) {
    IpAddr a = IpAddr::v4(static_cast<std::uint32_t>(rng()));
    if (v6) {
      a.v6 = true;
      for (auto& b : a.b) b = static_cast<std::uint8_t>(rng());
    }
    return a;
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
      const auto& g = idx.groups[ho[rng() % ho.size()]];
      p.dst = idx.addr_bounds[pick(g.f[1])];
      p.src = idx.addr_bounds[pick(g.f[0])];
      if (p.src.v6 != p.dst.v6) p.src = rand_addr(p.dst.v6);
      p.v6 = p.dst.v6;
      const std::uint32_t ps = pick(g.f[2]), pd = pick(g.f[3]);
      p.sport = static_cast<std::uint16_t>(ps == 0 ? 1 : idx.port_bounds[ps - 1]);
      p.dport = static_cast<std::uint16_t>(pd == 0 ? 80 : idx.port_bounds[pd - 1]);
    } else {
      p.v6 = (rng() % 4) == 0;
      p.src = rand_addr(p.v6);
      p.dst = rand_addr(p.v6);
      p.sport = static_cast<std::uint16_t>(rng());
      p.dport = static_cast<std::uint16_t>(rng());
    }
    out.push_back(p);
  }
  return out;
}

std::vector<Packet> read_pcaps(const std::string& dir, std::size_t limit) {
  std::vector<Packet> out;
  for (const auto& f : dejfa::capture_files(dir)) {
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
      {"firewall, own /32 or /128 and own port, 8,192 rules",
       dejfa::testgen::Gen(1).firewall_own(8192)},
      {"firewall, own /32 or /128 and own port, 16,384 rules",
       dejfa::testgen::Gen(2).firewall_own(16384)},
      {"firewall shape (prefixes, lists, negation, ranges, <>), 8,192 rules",
       dejfa::testgen::Gen(3).firewall_shape(8192)},
      {"1,000 content rules, random ports", ports_random(1000, 4)},
  };
  std::vector<std::pair<std::string, dejfa::RuleSet>> sets;
  for (const auto& [name, path] : files) {
    auto res = dejfa::load_rule_files({path}, {});
    sets.emplace_back(name + " (" + std::to_string(res.stats.loaded) + " of " +
                          std::to_string(res.stats.rules) + " rules load)",
                      std::move(res.set));
  }
  for (const auto& [name, text] : synth) {
    dejfa::LoadResult res;
    dejfa::parse_rules(text, name, {}, res);
    if (res.stats.skipped != 0) {
      std::fprintf(stderr, "%s: %zu rules skipped\n", name.c_str(), res.stats.skipped);
      return 1;
    }
    sets.emplace_back(name, std::move(res.set));
  }
  std::printf(
      "Header classification model (bench/design_headers.cpp, dejfa::hdr): index fields cover "
      "at most %u classes, %u slots per class and side, 100g limits otherwise\n",
      wide, slots);
  for (const auto& [name, rs] : sets) {
    hdr::Limits lim = hdr::Limits::for_config("100g");
    lim.cover_max = wide;
    lim.slots = slots;
    lim.groups_n = lim.addr_cls_n = lim.wide_n = 1U << 20;  // measure, do not refuse
    hdr::Index idx;
    dejfa::Diags d;
    if (!hdr::build(rs, lim, idx, d)) {
      std::printf("\n### %s\n\ndoes not build: %s\n", name.c_str(), d.at(0).message.c_str());
      continue;
    }
    report(name, rs, idx, real, aim(idx, 200'000, 7));
  }
  return 0;
}
