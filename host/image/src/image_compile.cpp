// SPDX-License-Identifier: Apache-2.0
//
// IR -> rule image. Every table entry is computed with the reference model's own predicates
// (AddrExpr::contains, PortSet::contains, UintMatch::match, FlagsMatch::match), evaluated on one
// representative key per class, so the tables are exact by construction (docs/IMAGE.md).

#include "dejfa/image_compile.hpp"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>

#include "dejfa/image_tables.hpp"
#include "dejfa/refmodel.hpp"
#include "dejfa/texttable.hpp"

namespace dejfa {

std::uint32_t Image::param(std::string_view name) const {
  for (std::size_t i = 0; i < hw::kParamNames.size(); ++i) {
    if (hw::kParamNames[i] == name) return params[i];
  }
  return 0;
}

unsigned l4_kind(const Packet& p) {
  switch (p.l4) {
    case Packet::L4::None:
      return 0;
    case Packet::L4::Tcp:
      return 1;
    case Packet::L4::Udp:
      return 2;
    case Packet::L4::Icmp4:
      return 3;
    case Packet::L4::Icmp6:
      return 4;
  }
  return 0;
}

namespace {

void set_bit(Row& r, std::size_t i) { r[i / 32] |= 1U << (i % 32); }

void set_key_bit(IpAddr& a, unsigned i, bool v) {
  if (i == 0) {
    a.v6 = v;
    return;
  }
  const unsigned j = i - 1;
  const auto m = static_cast<std::uint8_t>(1U << (7 - j % 8));
  a.b[j / 8] = static_cast<std::uint8_t>(v ? (a.b[j / 8] | m) : (a.b[j / 8] & ~m));
}

bool intersects(const IpPrefix& a, const IpPrefix& b) { return a.covers(b) || b.covers(a); }

/// An address of `region` in none of `children` (all strictly inside the class prefix).
std::optional<IpAddr> representative(const IpPrefix& region,
                                     const std::vector<IpPrefix>& children) {
  bool any = false;
  for (const auto& c : children) {
    if (c.covers(region)) return std::nullopt;
    if (intersects(c, region)) any = true;
  }
  if (!any) return region.addr;
  if (region.len >= 129) return std::nullopt;
  for (bool half : {false, true}) {
    IpPrefix h = region;
    set_key_bit(h.addr, region.len, half);
    h.len = static_cast<std::uint8_t>(region.len + 1);
    if (auto r = representative(h, children)) return r;
  }
  return std::nullopt;
}

/// A 16-bit value space cut at `bounds`: class 1 + k is [bounds[k-1], bounds[k]).
std::vector<std::uint32_t> interval_starts(const std::vector<std::uint16_t>& bounds) {
  std::vector<std::uint32_t> s{0};
  for (auto b : bounds) s.push_back(b);
  return s;
}

void add_uint_bounds(const UintMatch& m, std::set<std::uint32_t>& b) {
  using M = UintMatch::Mode;
  switch (m.mode) {
    case M::Eq:
    case M::Ne:
      b.insert(m.a);
      b.insert(m.a + 1);
      break;
    case M::Lt:
    case M::Ge:
      b.insert(m.a);
      break;
    case M::Le:
    case M::Gt:
      b.insert(m.a + 1);
      break;
    case M::Range:
      b.insert(m.a + 1);
      b.insert(m.b);
      break;
  }
}

/// Builds a key -> class map from one column (rule bits) per key; false when more than cap.
/// Keys the parser never produces (`reachable` false) are don't-cares and map to class 0.
bool classify(std::size_t keys, std::size_t rules, std::size_t words, std::size_t cap,
              const std::function<bool(std::size_t key)>& reachable,
              const std::function<bool(std::size_t key, std::size_t rule)>& pred, ClassTable& out) {
  std::map<Row, std::uint8_t> seen;
  out.map.assign(keys, 0);
  out.rows.clear();
  for (std::size_t k = 0; k < keys; ++k) {
    if (!reachable(k)) continue;
    Row col(words, 0);
    for (std::size_t i = 0; i < rules; ++i) {
      if (pred(k, i)) set_bit(col, i);
    }
    auto it = seen.find(col);
    if (it == seen.end()) {
      if (out.rows.size() == cap) return false;
      it = seen.emplace(col, static_cast<std::uint8_t>(out.rows.size())).first;
      out.rows.push_back(col);
    }
    out.map[k] = it->second;
  }
  return true;
}

}  // namespace

void small_tables(std::span<const Rule* const> cols, std::size_t words, std::size_t cls_n,
                  std::size_t dsizeb_n, SmallTables& out, const UsageFn& usage) {
  const std::size_t n = cols.size();
  auto small = [&](const char* what, std::size_t keys, ClassTable& t,
                   const std::function<bool(std::size_t)>& reachable,
                   const std::function<bool(std::size_t, std::size_t)>& pred) {
    if (!classify(keys, n, words, cls_n, reachable, pred, t)) {
      usage(std::string(what) + " classes (CLS_N)", cls_n + 1ULL, cls_n);
      return;
    }
    usage(std::string(what) + " classes (CLS_N)", t.rows.size(), cls_n);
  };
  // Keys the decoder can produce: L4 kind none with any protocol (other protocols, later
  // fragments, malformed L4 headers), TCP only with 6, UDP with 17, ICMP with 1 over IPv4,
  // ICMPv6 with 58 over IPv6. Non-TCP packets carry flags 0, non-ICMP packets type/code 0.
  const auto proto_reachable = [](std::size_t k) {
    const bool v6 = (k >> 11) != 0;
    const auto proto = k & 0xFF;
    switch ((k >> 8) & 7) {
      case 0:
        return true;
      case 1:
        return proto == 6;
      case 2:
        return proto == 17;
      case 3:
        return !v6 && proto == 1;
      case 4:
        return v6 && proto == 58;
      default:
        return false;
    }
  };
  const auto all_keys = [](std::size_t) { return true; };
  const auto flag_keys = [](std::size_t k) { return (k >> 8) != 0 || k == 0; };
  small("protocol", kProtoKeys, out.proto, proto_reachable, [&](std::size_t k, std::size_t i) {
    Packet p;
    p.ip = true;
    p.v6 = (k >> 11) != 0;
    static constexpr Packet::L4 kinds[8] = {Packet::L4::None,  Packet::L4::Tcp,   Packet::L4::Udp,
                                            Packet::L4::Icmp4, Packet::L4::Icmp6, Packet::L4::None,
                                            Packet::L4::None,  Packet::L4::None};
    p.l4 = kinds[(k >> 8) & 7];
    p.proto = static_cast<std::uint8_t>(k & 0xFF);
    Rule probe;  // protocol and ip_proto only
    probe.proto = cols[i]->proto;
    probe.ip_proto = cols[i]->ip_proto;
    return header_match(probe, p);
  });
  small("ttl", kTtlKeys, out.ttl, all_keys, [&](std::size_t k, std::size_t i) {
    return !cols[i]->ttl || cols[i]->ttl->match(static_cast<std::uint32_t>(k));
  });
  small("tcp flags", kFlagKeys, out.tcpf, flag_keys, [&](std::size_t k, std::size_t i) {
    return tcp_flags_ok(*cols[i], (k >> 8) != 0, static_cast<std::uint8_t>(k & 0xFF));
  });
  small("icmp type", kFlagKeys, out.itype, flag_keys, [&](std::size_t k, std::size_t i) {
    const Rule& r = *cols[i];
    return !r.itype || ((k >> 8) != 0 && r.itype->match(static_cast<std::uint32_t>(k & 0xFF)));
  });
  small("icmp code", kFlagKeys, out.icode, flag_keys, [&](std::size_t k, std::size_t i) {
    const Rule& r = *cols[i];
    return !r.icode || ((k >> 8) != 0 && r.icode->match(static_cast<std::uint32_t>(k & 0xFF)));
  });

  std::set<std::uint32_t> db;
  for (const Rule* r : cols) {
    if (!r->contents.empty() || r->dsize) db.insert(1);  // length 0 is special for both
    if (r->dsize) add_uint_bounds(*r->dsize, db);
  }
  db.erase(0);
  db.erase(65536);
  for (auto it = db.begin(); it != db.end();) it = *it > 65535 ? db.erase(it) : std::next(it);
  usage("payload-size boundaries (DSIZEB_N)", db.size(), dsizeb_n);
  if (db.size() <= dsizeb_n) {
    for (auto b : db) out.dsize_bounds.push_back(static_cast<std::uint16_t>(b));
    const auto starts = interval_starts(out.dsize_bounds);
    for (std::size_t c = 0; c <= starts.size(); ++c) {
      Row row(words, 0);
      for (std::size_t i = 0; i < n; ++i) {
        const bool ok = c == 0 ? payload_size_ok(*cols[i], false, 0)
                               : payload_size_ok(*cols[i], true, starts[c - 1]);
        if (ok) set_bit(row, i);
      }
      out.dsize_rows.push_back(std::move(row));
    }
  }
}

std::array<std::size_t, 5> small_keys(const Packet& p) {
  const bool tcp = p.l4 == Packet::L4::Tcp;
  const bool icmp = p.l4 == Packet::L4::Icmp4 || p.l4 == Packet::L4::Icmp6;
  return {(p.v6 ? 1U << 11 : 0U) | (l4_kind(p) << 8) | p.proto, p.ttl,
          (tcp ? 256U : 0U) | p.tcp_flags, (icmp ? 256U : 0U) | p.icmp_type,
          (icmp ? 256U : 0U) | p.icmp_code};
}

std::size_t bound_class(const std::vector<std::uint16_t>& bounds, std::uint32_t v) {
  return 1 + static_cast<std::size_t>(std::upper_bound(bounds.begin(), bounds.end(), v) -
                                      bounds.begin());
}

ImageRule image_rule(const Rule& r) {
  ImageRule ir;
  ir.sid = r.sid;
  ir.gid = r.gid;
  ir.rev = r.rev;
  ir.priority = r.effective_priority();
  ir.action = r.action;
  ir.bidirectional = r.bidirectional;
  ir.msg = r.msg;
  ir.classtype = r.classtype;
  ir.source = r.loc.file + ":" + std::to_string(r.loc.line);
  return ir;
}

std::size_t add_contents(Image& img, std::span<const Rule* const> by_id, const hw::Config& cfg,
                         const UsageFn& usage, const std::function<void(std::string)>& fail) {
  const std::size_t n = by_id.size();
  std::map<std::string, std::uint32_t> lit_ids;  // key: nocase flag + bytes
  std::uint64_t lit_bytes = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (by_id[i] == nullptr) continue;
    const Rule& rule = *by_id[i];
    img.rules[i].prog_first = static_cast<std::uint32_t>(img.program.size());
    img.rules[i].ncontents = static_cast<std::uint16_t>(rule.contents.size());
    for (const auto& c : rule.contents) {
      ImageContent ic;
      ic.pieces_first = static_cast<std::uint32_t>(img.pieces.size());
      ic.len = static_cast<std::uint16_t>(c.bytes.size());
      // A content is stored once per (nocase, bytes); its pieces take consecutive literal ids
      // so the hardware addresses piece j as literal (first + j) without a piece table.
      std::string key(1, c.nocase ? '\1' : '\0');
      key.append(c.bytes.begin(), c.bytes.end());
      auto it = lit_ids.find(key);
      if (it == lit_ids.end()) {
        it = lit_ids.emplace(key, static_cast<std::uint32_t>(img.literals.size())).first;
        for (std::size_t at = 0; at < c.bytes.size(); at += cfg.lit_max_b) {
          const std::size_t end = std::min(c.bytes.size(), at + cfg.lit_max_b);
          std::vector<std::uint8_t> piece(c.bytes.begin() + static_cast<long>(at),
                                          c.bytes.begin() + static_cast<long>(end));
          lit_bytes += piece.size();
          img.literals.push_back(ImageLiteral{std::move(piece), c.nocase});
        }
      }
      for (std::size_t at = 0; at < c.bytes.size(); at += cfg.lit_max_b) {
        img.pieces.push_back(it->second + ic.npieces);
        ++ic.npieces;
      }
      if (c.negated) ic.flags |= ImageContent::kNegated;
      if (c.offset) {
        ic.flags |= ImageContent::kOffset;
        ic.offset = *c.offset;
      }
      if (c.depth) {
        ic.flags |= ImageContent::kDepth;
        ic.depth = *c.depth;
      }
      if (c.distance) {
        ic.flags |= ImageContent::kDistance;
        ic.distance = *c.distance;
      }
      if (c.within) {
        ic.flags |= ImageContent::kWithin;
        ic.within = *c.within;
      }
      img.program.push_back(ic);
    }
  }
  usage("literal pieces (LITS_N)", img.literals.size(), cfg.lits_n);
  usage("literal bytes (LITB_N)", lit_bytes, cfg.litb_n);
  usage("content program entries (CPROG_N)", img.program.size(), cfg.cprog_n);
  std::size_t most = 0;
  for (const Rule* r : by_id) {
    if (r == nullptr) continue;
    if (r->contents.size() > most) most = r->contents.size();
    if (r->contents.size() > cfg.cont_n) {
      fail("sid " + std::to_string(r->sid) + " has " + std::to_string(r->contents.size()) +
           " contents, the content engine takes " + std::to_string(cfg.cont_n) +
           " per rule (CONT_N)");
    }
  }
  return most;
}

void capacity_error(CompileResult& res, std::string msg) {
  res.diags.push_back(Diag{"", 0, 0, 0, Severity::Error, "capacity", std::move(msg)});
}

void capacity_usage(CompileResult& res, const hw::Config& cfg, std::string what, std::uint64_t used,
                    std::uint64_t avail) {
  res.usage.push_back(Usage{std::move(what), used, avail});
  if (used > avail) {
    capacity_error(res, res.usage.back().what + ": " + std::to_string(used) + " needed, the " +
                            std::string(cfg.name) + " configuration has " + std::to_string(avail));
  }
}

CompileResult compile(const RuleSet& rs, const hw::Config& cfg, std::uint32_t format) {
  if (format == 3) return compile_v3(rs, cfg);
  if (format != 2) throw std::invalid_argument("no image format " + std::to_string(format));
  return compile_v2(rs, cfg);
}

CompileResult compile_v2(const RuleSet& rs, const hw::Config& cfg) {
  CompileResult res;
  Image& img = res.image;
  img.params = cfg.params();
  const std::size_t R = cfg.rules_n;
  const std::size_t W = R / 32;
  const auto& rules = rs.rules;
  const std::size_t n = rules.size();
  auto fail = [&](std::string msg) { capacity_error(res, std::move(msg)); };
  auto usage = [&](std::string what, std::uint64_t used, std::uint64_t avail) {
    capacity_usage(res, cfg, std::move(what), used, avail);
  };

  res.id_of_rule.resize(n);  // rule slot r holds rule r
  for (std::size_t r = 0; r < n; ++r) res.id_of_rule[r] = static_cast<std::uint32_t>(r);

  usage("rule slots (RULES_N)", n, R);
  if (n > R) return res;

  // ---- rules
  for (const auto& r : rules) img.rules.push_back(image_rule(r));

  // ---- addresses: literal prefixes plus both family roots, longest first.
  std::set<IpPrefix> pset;
  for (const auto& r : rules) {
    std::vector<IpPrefix> v;
    r.src.collect(v);
    r.dst.collect(v);
    pset.insert(v.begin(), v.end());
  }
  IpPrefix root4;
  root4.len = 1;
  IpPrefix root6;
  root6.addr.v6 = true;
  root6.len = 1;
  pset.insert(root4);
  pset.insert(root6);
  std::vector<IpPrefix> prefixes(pset.begin(), pset.end());
  std::stable_sort(prefixes.begin(), prefixes.end(),
                   [](const IpPrefix& a, const IpPrefix& b) { return a.len > b.len; });
  usage("address prefixes (ADDR_N)", prefixes.size(), cfg.addr_n);
  for (std::size_t c = 0; c < prefixes.size() && prefixes.size() <= cfg.addr_n; ++c) {
    img.addr.push_back(AddrEntry{prefixes[c]});
    std::vector<IpPrefix> children;
    for (const auto& q : prefixes) {
      if (q.len > prefixes[c].len && prefixes[c].covers(q)) children.push_back(q);
    }
    Row src(W, 0);
    Row dst(W, 0);
    if (const auto rep = representative(prefixes[c], children)) {
      for (std::size_t i = 0; i < n; ++i) {
        if (rules[i].src.contains(*rep)) set_bit(src, i);
        if (rules[i].dst.contains(*rep)) set_bit(dst, i);
      }
    }
    img.addr_rows.push_back(std::move(src));
    img.addr_rows.push_back(std::move(dst));
  }

  // ---- ports
  std::set<std::uint32_t> pb;
  for (const auto& r : rules) {
    for (const PortSet* ps : {&r.sport, &r.dport}) {
      for (const auto& rg : ps->ranges) {
        pb.insert(rg.lo);
        pb.insert(std::uint32_t{rg.hi} + 1);
      }
    }
  }
  pb.erase(0);
  pb.erase(65536);
  usage("port boundaries (PORTB_N)", pb.size(), cfg.portb_n);
  if (pb.size() <= cfg.portb_n) {
    for (auto b : pb) img.port_bounds.push_back(static_cast<std::uint16_t>(b));
    const auto starts = interval_starts(img.port_bounds);
    // class 0: no ports; class 1 + k: interval k
    for (std::size_t c = 0; c <= starts.size(); ++c) {
      Row sp(W, 0);
      Row dp(W, 0);
      for (std::size_t i = 0; i < n; ++i) {
        const Rule& r = rules[i];
        const bool ports = !r.sport.is_all() || !r.dport.is_all();
        if (c == 0) {
          if (!ports) {
            set_bit(sp, i);
            set_bit(dp, i);
          }
          continue;
        }
        const auto p = static_cast<std::uint16_t>(starts[c - 1]);
        if (r.sport.contains(p)) set_bit(sp, i);
        if (r.dport.contains(p)) set_bit(dp, i);
      }
      img.port_rows.push_back(std::move(sp));
      img.port_rows.push_back(std::move(dp));
    }
  }

  // ---- small fields and payload size
  {
    std::vector<const Rule*> cols;
    cols.reserve(rules.size());
    for (const auto& r : rules) cols.push_back(&r);
    SmallTables st;
    small_tables(cols, W, cfg.cls_n, cfg.dsizeb_n, st, usage);
    img.proto = std::move(st.proto);
    img.ttl = std::move(st.ttl);
    img.tcpf = std::move(st.tcpf);
    img.itype = std::move(st.itype);
    img.icode = std::move(st.icode);
    img.dsize_bounds = std::move(st.dsize_bounds);
    img.dsize_rows = std::move(st.dsize_rows);
  }

  // ---- contents
  std::vector<const Rule*> by_slot;
  by_slot.reserve(n);
  for (const auto& r : rules) by_slot.push_back(&r);
  const std::size_t most = add_contents(img, by_slot, cfg, usage, fail);
  res.usage.push_back(Usage{"contents per rule (CONT_N)", most, cfg.cont_n});

  res.ok = std::none_of(res.diags.begin(), res.diags.end(),
                        [](const Diag& d) { return d.severity == Severity::Error; });
  if (res.ok) {
    // Not capacities: how the prefilter sees the set. Rules without a fast key reach the content
    // engines whenever their header matches (docs/HARDWARE.md "Matcher").
    const Prefilter pf = prefilter(img);
    const std::size_t with = pf.keyed + pf.negated_only + pf.too_short;
    res.usage.push_back(Usage{"prefilter groups (fast-key buckets)", pf.groups_used, R, true});
    res.usage.push_back(Usage{"no fast key: every content negated", pf.negated_only, with, true});
    res.usage.push_back(Usage{"no fast key: shorter than FP_KEY_MIN", pf.too_short, with, true});
  }
  return res;
}

std::string usage_report(const std::vector<Usage>& usage, const hw::Config& cfg,
                         std::size_t image_bytes) {
  std::string s = "Utilisation for configuration " + std::string(cfg.name) + " (DATA_W " +
                  std::to_string(cfg.data_w) + ", RULES_N " + std::to_string(cfg.rules_n) + ")\n";
  using A = TextTable::Align;
  TextTable t;
  t.column("resource", A::Left)
      .column("used")
      .column("available")
      .column("util")
      .column("", A::Left);
  auto pct = [](double used, double avail) {
    char b[32];
    std::snprintf(b, sizeof b, "%.1f%%", avail == 0 ? 0.0 : 100.0 * used / avail);
    return std::string(b);
  };
  for (const auto& u : usage) {
    t.row({u.what, std::to_string(u.used), std::to_string(u.avail),
           pct(static_cast<double>(u.used), static_cast<double>(u.avail)),
           u.used > u.avail ? "OVER" : ""});
  }
  if (image_bytes != 0) {
    t.row({"image bytes (TABLES window)", std::to_string(image_bytes),
           std::to_string(hw::window::TABLES_SIZE),
           pct(static_cast<double>(image_bytes), hw::window::TABLES_SIZE)});
  }
  return s + t.str("  ");
}

std::size_t fitting_run(const RuleSet& rs, std::size_t from, const hw::Config& cfg,
                        std::uint32_t format) {
  const std::size_t left = from < rs.rules.size() ? rs.rules.size() - from : 0;
  const auto fits = [&](std::size_t n) {
    RuleSet part;
    part.rules.assign(rs.rules.begin() + static_cast<std::ptrdiff_t>(from),
                      rs.rules.begin() + static_cast<std::ptrdiff_t>(from + n));
    return compile(part, cfg, format).ok;
  };
  // Doubling finds a run that does not fit (or the end), bisection the longest that does.
  std::size_t lo = 0, hi = 1;
  while (hi <= left && fits(hi)) {
    lo = hi;
    if (hi == left) return left;
    hi = std::min(hi * 2, left);
  }
  if (hi > left) return lo;
  while (hi - lo > 1) {
    const std::size_t mid = (lo + hi) / 2;
    (fits(mid) ? lo : hi) = mid;
  }
  return lo;
}

}  // namespace dejfa
