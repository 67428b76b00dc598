// SPDX-License-Identifier: Apache-2.0
//
// Decoded image -> writes into the TABLES window (layout: hw/dejfa_regs.toml "tables",
// docs/registers.md). Shared by the driver, the Verilated tests and the card.

#include "dejfa/image_tables.hpp"

#include <algorithm>
#include <map>

namespace dejfa {

std::uint32_t rule_flags(const ImageRule& r, bool nofp) {
  namespace f = hw::rflag;
  const auto field = [](std::uint32_t v, unsigned lsb, std::uint32_t mask) {
    return (v << lsb) & mask;
  };
  return field(r.bidirectional ? 1U : 0U, f::BIDIR_LSB, f::BIDIR_MASK) |
         field(static_cast<std::uint32_t>(r.action), f::ACTION_LSB, f::ACTION_MASK) |
         field(1U, f::ENABLED_LSB, f::ENABLED_MASK) |
         field(r.ncontents, f::NCONTENTS_LSB, f::NCONTENTS_MASK) |
         field(nofp ? 1U : 0U, f::NOFP_LSB, f::NOFP_MASK) |
         field(r.prog_first, f::PROG_FIRST_LSB, f::PROG_FIRST_MASK);
}

Prefilter prefilter(const Image& img) {
  Prefilter pf;
  // FP_KEY_MIN is 1..4 in every configuration (gen_regs.py checks it); an image without it (0)
  // cannot be decoded, so the clamp only keeps a hand-built Image safe.
  pf.key_min = std::clamp(img.param("FP_KEY_MIN"), 1U, 4U);
  pf.fp.assign(fp::kWords, 0);
  pf.nofp.assign(img.rules.size(), false);
  struct Bucket {
    std::vector<std::uint32_t> keys;
    std::vector<std::uint32_t> rules;
  };
  std::map<std::uint32_t, Bucket> buckets;
  for (std::size_t i = 0; i < img.rules.size(); ++i) {
    const ImageRule& r = img.rules[i];
    if (r.ncontents == 0) continue;
    const ImageContent* best = nullptr;
    for (std::uint32_t c = 0; c < r.ncontents; ++c) {
      const ImageContent& ic = img.program[r.prog_first + c];
      if ((ic.flags & ImageContent::kNegated) != 0) continue;
      if (best == nullptr || ic.len > best->len) best = &ic;
    }
    if (best == nullptr || best->len < pf.key_min) {
      pf.nofp[i] = true;
      ++(best == nullptr ? pf.negated_only : pf.too_short);
      continue;
    }
    ++pf.keyed;
    const auto& bytes = img.literals[img.pieces[best->pieces_first]].bytes;
    const unsigned k = static_cast<unsigned>(std::min<std::size_t>(4, bytes.size()));
    const std::uint32_t x = fp::key(bytes.data(), k);
    Bucket& b = buckets[fp::bucket(k, x)];
    if (std::find(b.keys.begin(), b.keys.end(), x) == b.keys.end()) b.keys.push_back(x);
    b.rules.push_back(static_cast<std::uint32_t>(i));
  }
  pf.groups.assign(img.rules_n(), 0);
  std::uint32_t g = 0;
  for (const auto& [at, b] : buckets) {
    pf.fp[at] = (1U << 31) | (b.keys.size() > 1 ? 1U << 30 : 0U) |
                (b.keys.size() == 1 ? fp::tag(b.keys[0]) << 12 : 0U) | g;
    pf.groups[g] = (static_cast<std::uint32_t>(b.rules.size()) << 16) |
                   static_cast<std::uint32_t>(pf.rules.size());
    pf.rules.insert(pf.rules.end(), b.rules.begin(), b.rules.end());
    ++g;
  }
  pf.groups_used = g;
  return pf;
}

std::vector<bool> prefilter_seen(const Prefilter& pf, std::span<const std::uint8_t> frame) {
  std::vector<bool> seen(pf.groups.size(), false);
  for (std::size_t s = fp::kPayloadMin; s < frame.size(); ++s) {
    for (unsigned k = pf.key_min; k <= 4 && s + k <= frame.size(); ++k) {
      const std::uint32_t x = fp::key(frame.data() + s, k);
      const std::uint32_t e = pf.fp[fp::bucket(k, x)];
      if ((e >> 31) == 0) continue;
      if (((e >> 30) & 1U) == 0 && ((e >> 12) & 0xFFFFU) != fp::tag(x)) continue;
      seen[e & 0xFFFU] = true;
    }
  }
  return seen;
}

std::array<std::uint32_t, 4> prog_words(const Image& img, std::size_t i, bool last) {
  const ImageContent& c = img.program[i];
  const ImageContent* next = last ? nullptr : &img.program[i + 1];
  const auto has = [](const ImageContent& e, std::uint16_t f) { return (e.flags & f) != 0; };
  const bool next_relative =
      next != nullptr && (has(*next, ImageContent::kDistance) || has(*next, ImageContent::kWithin));
  const bool within_next = next != nullptr && has(*next, ImageContent::kWithin);
  const bool single =
      !(has(c, ImageContent::kDistance) || has(c, ImageContent::kWithin) || next_relative ||
        has(c, ImageContent::kDepth) || has(c, ImageContent::kOffset));
  const bool nocase = img.literals[img.pieces[c.pieces_first]].nocase;
  std::uint32_t f = 0;
  const auto set = [&](unsigned bit, bool on) {
    if (on) f |= 1U << bit;
  };
  set(hw::pflag::NEGATED, has(c, ImageContent::kNegated));
  set(hw::pflag::OFFSET, has(c, ImageContent::kOffset));
  set(hw::pflag::DEPTH, has(c, ImageContent::kDepth));
  set(hw::pflag::DISTANCE, has(c, ImageContent::kDistance));
  set(hw::pflag::WITHIN, has(c, ImageContent::kWithin));
  set(hw::pflag::NOCASE, nocase);
  set(hw::pflag::WITHIN_NEXT, within_next);
  set(hw::pflag::SINGLE, single);
  set(hw::pflag::LAST, last);
  set(hw::pflag::DIST_NEG, c.distance < 0);
  const auto dist = static_cast<std::uint32_t>(c.distance) & 0xFFFFU;
  return {(f << 16) | c.len, (std::uint32_t{c.npieces} << 16) | img.pieces[c.pieces_first],
          (c.depth << 16) | c.offset, (c.within << 16) | dist};
}

std::vector<TableWrite> table_writes(const Image& img) {
  std::vector<TableWrite> w;
  const auto word = [](std::uint32_t table, std::uint32_t index) {
    return (table << hw::kTblIndexW) | index;
  };
  const auto rw = static_cast<std::uint32_t>(img.row_words());
  const auto rows = [&](std::uint32_t table, const std::vector<Row>& v, std::size_t first,
                        std::size_t step) {
    for (std::size_t r = 0; first + r * step < v.size(); ++r) {
      const Row& row = v[first + r * step];
      for (std::uint32_t l = 0; l < rw; ++l) {
        w.push_back({word(table, static_cast<std::uint32_t>(r) * rw + l), row[l]});
      }
    }
  };
  const auto map = [&](std::uint32_t table, const ClassTable& t) {
    for (std::size_t k = 0; k < t.map.size(); ++k) {
      w.push_back({word(table, static_cast<std::uint32_t>(k)), t.map[k]});
    }
    rows(table + 1, t.rows, 0, 1);
  };
  const auto bounds = [&](std::uint32_t table, const std::vector<std::uint16_t>& b,
                          std::uint32_t capacity) {
    for (std::uint32_t e = 0; e < capacity; ++e) {
      w.push_back({word(table, e), e < b.size() ? (1U << 16) | b[e] : 0U});
    }
  };

  const Prefilter pf = prefilter(img);
  for (std::uint32_t i = 0; i < img.rules_n(); ++i) {
    // A slot without a rule (beyond the image's rules, or an empty wide slot of format 3) stays
    // disabled.
    const bool rule = i < img.rules.size() && !img.rules[i].empty();
    w.push_back({word(hw::tbl::RULE_FLAGS, i), rule ? rule_flags(img.rules[i], pf.nofp[i]) : 0U});
  }
  for (unsigned k = pf.key_min; k <= 4; ++k) {  // the tables of shorter keys are not built
    for (std::uint32_t i = fp::words_first(k); i < fp::words_first(k) + fp::words_count(k); ++i) {
      w.push_back({word(hw::tbl::FP, i), pf.fp[i]});
    }
  }
  for (std::uint32_t i = 0; i < pf.groups.size(); ++i) {
    w.push_back({word(hw::tbl::FP_GROUPS, hw::tbl::FP_GROUPS_OFFSET + i), pf.groups[i]});
  }
  for (std::uint32_t i = 0; i < pf.rules.size(); ++i) {
    w.push_back({word(hw::tbl::FP_RULES, hw::tbl::FP_RULES_OFFSET + i), pf.rules[i]});
  }
  // Format 3: version 3's header tables go through the record port (rtable_writes), not the
  // TABLES window.
  for (std::uint32_t e = 0; img.format == 2 && e < img.param("ADDR_N"); ++e) {
    std::uint32_t v[5] = {0, 0, 0, 0, 0};
    if (e < img.addr.size()) {
      const IpPrefix& p = img.addr[e].prefix;
      for (std::uint32_t k = 0; k < 4; ++k) {  // word k holds address bits 32k+31 .. 32k
        const std::size_t b = 12 - 4 * k;
        v[k] = (std::uint32_t{p.addr.b[b]} << 24) | (std::uint32_t{p.addr.b[b + 1]} << 16) |
               (std::uint32_t{p.addr.b[b + 2]} << 8) | p.addr.b[b + 3];
      }
      v[4] = (1U << 16) | (p.addr.v6 ? 1U << 8 : 0U) | p.len;
    }
    for (std::uint32_t k = 0; k < 5; ++k)
      w.push_back({word(hw::tbl::ADDR_PREFIX, 8 * e + k), v[k]});
  }
  if (img.format == 2) {
    rows(hw::tbl::ADDR_SRC_ROWS, img.addr_rows, 0, 2);
    rows(hw::tbl::ADDR_DST_ROWS, img.addr_rows, 1, 2);
    bounds(hw::tbl::PORT_BOUNDS, img.port_bounds, img.param("PORTB_N"));
    rows(hw::tbl::SPORT_ROWS, img.port_rows, 0, 2);
    rows(hw::tbl::DPORT_ROWS, img.port_rows, 1, 2);
    map(hw::tbl::PROTO_MAP, img.proto);
    map(hw::tbl::TTL_MAP, img.ttl);
    map(hw::tbl::TCPF_MAP, img.tcpf);
    map(hw::tbl::ITYPE_MAP, img.itype);
    map(hw::tbl::ICODE_MAP, img.icode);
    bounds(hw::tbl::DSIZE_BOUNDS, img.dsize_bounds, img.param("DSIZEB_N"));
    rows(hw::tbl::DSIZE_ROWS, img.dsize_rows, 0, 1);
  }

  // Tables spanning several ids: index i of the whole table is word (id + i / 4096, i % 4096).
  const auto span = [&](std::uint32_t table, std::uint32_t i) {
    return word(table + (i >> hw::kTblIndexW), i & ((1U << hw::kTblIndexW) - 1));
  };
  const std::uint32_t slot_words = img.param("LIT_MAX_B") / 4;
  for (std::size_t l = 0; l < img.literals.size(); ++l) {
    const auto& b = img.literals[l].bytes;
    for (std::uint32_t k = 0; k < slot_words; ++k) {
      std::uint32_t v = 0;
      for (std::uint32_t j = 0; j < 4; ++j) {
        const std::size_t at = 4 * k + j;
        if (at < b.size()) v |= std::uint32_t{b[at]} << (8 * j);
      }
      w.push_back({span(hw::tbl::LIT_BYTES, static_cast<std::uint32_t>(l) * slot_words + k), v});
    }
  }
  std::vector<bool> last(img.program.size(), true);
  for (const auto& r : img.rules) {
    for (std::uint32_t k = 0; k + 1 < r.ncontents; ++k) last[r.prog_first + k] = false;
  }
  for (std::size_t i = 0; i < img.program.size(); ++i) {
    const auto e = prog_words(img, i, last[i]);
    for (std::uint32_t k = 0; k < 4; ++k) {
      w.push_back({span(hw::tbl::PROG, static_cast<std::uint32_t>(4 * i + k)), e[k]});
    }
  }
  return w;
}

}  // namespace dejfa
