// SPDX-License-Identifier: Apache-2.0
#include "dejfa/anchor.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "dejfa/strutil.hpp"

namespace dejfa {

namespace {

constexpr std::size_t kAnchorMaxB = 8;

/// In rule syntax, quoted: the one writer of content bytes (Content::pattern_str).
std::string hex_bytes(const std::vector<std::uint8_t>& b) {
  Content c;
  c.bytes = b;
  return "\"" + c.pattern_str() + "\"";
}

}  // namespace

const std::array<std::uint64_t, 256>& anchor_byte_counts() {
  static const std::array<std::uint64_t, 256> kCounts = {
#include "anchor_freq.inc"
  };
  return kCounts;
}

const std::array<double, 256>& anchor_byte_logfreq() {
  static const std::array<double, 256> kLog = [] {
    const auto& n = anchor_byte_counts();
    double total = 0;
    for (const auto c : n) total += static_cast<double>(c);
    std::array<double, 256> lf{};
    for (std::size_t c = 0; c < 256; ++c) {
      lf[c] = std::log2((static_cast<double>(n[c]) + 1) / (total + 256));
    }
    return lf;
  }();
  return kLog;
}

std::optional<Anchor> anchor_of(const Rule& r) {
  const auto& lf = anchor_byte_logfreq();
  bool named = false;
  for (const auto& c : r.contents) named = named || (c.fast_pattern && !c.negated);
  std::optional<Anchor> best;
  for (std::uint32_t i = 0; i < r.contents.size(); ++i) {
    const Content& c = r.contents[i];
    if (c.negated || (named && !c.fast_pattern)) continue;
    std::size_t from = 0, to = c.bytes.size();
    if (c.fast_pattern_chop) {
      from = c.fast_pattern_chop->first;
      to = std::min(to, from + c.fast_pattern_chop->second);
    }
    if (from >= to) continue;
    const std::size_t w = std::min(kAnchorMaxB, to - from);
    for (std::size_t off = from; off + w <= to; ++off) {
      double s = 0;
      for (std::size_t k = 0; k < w; ++k) s += lf[ascii_lower(c.bytes[off + k])];
      // Longer windows are rarer; windows of different contents compare by their score, the
      // earlier one winning a tie (deterministic).
      if (!best || s < best->score) {
        Anchor a;
        a.nocase = c.nocase;
        a.content = i;
        a.offset = static_cast<std::uint32_t>(off);
        a.named = c.fast_pattern;
        a.score = s;
        for (std::size_t k = 0; k < w; ++k) {
          a.bytes.push_back(c.nocase ? ascii_lower(c.bytes[off + k]) : c.bytes[off + k]);
        }
        best = std::move(a);
      }
    }
  }
  return best;
}

AnchorSet anchors_of(const RuleSet& rs) {
  AnchorSet set;
  std::map<std::string, std::uint32_t> ids;  // the anchor's bytes, then nocase
  for (std::uint32_t i = 0; i < rs.rules.size(); ++i) {
    auto a = anchor_of(rs.rules[i]);
    if (!a) {
      ++set.without;
      continue;
    }
    std::string key(a->bytes.begin(), a->bytes.end());
    key += a->nocase ? '\1' : '\0';
    auto [it, fresh] = ids.emplace(std::move(key), static_cast<std::uint32_t>(set.anchors.size()));
    if (fresh) {
      set.rules.emplace_back();
      set.named.push_back(0);
    }
    set.rules[it->second].push_back(i);
    set.named[it->second] += a->named ? 1U : 0U;
    if (fresh) set.anchors.push_back(std::move(*a));
  }
  return set;
}

std::vector<std::uint32_t> content_order(const RuleSet& rs, const AnchorSet& set,
                                         const std::vector<std::uint32_t>& group_of_rule) {
  std::vector<std::uint32_t> out;
  auto by_group = [&](std::vector<std::uint32_t> v) {
    std::stable_sort(v.begin(), v.end(), [&](std::uint32_t a, std::uint32_t b) {
      return group_of_rule[a] < group_of_rule[b];
    });
    out.insert(out.end(), v.begin(), v.end());
  };
  std::vector<bool> anchored(rs.rules.size(), false);
  for (const auto& rules : set.rules) {
    for (const auto i : rules) anchored[i] = true;
    by_group(rules);  // each list is in rule order
  }
  std::vector<std::uint32_t> rest;
  for (std::uint32_t i = 0; i < rs.rules.size(); ++i) {
    if (!anchored[i] && !rs.rules[i].contents.empty()) rest.push_back(i);
  }
  by_group(std::move(rest));
  return out;
}

std::string anchor_report(const RuleSet& rs, const AnchorSet& set, std::size_t most) {
  std::string o;
  char line[256];
  std::size_t rules = 0, named = 0, shared_most = 0, shared_at = 0;
  std::array<std::size_t, kAnchorMaxB + 1> by_len{};
  for (std::size_t a = 0; a < set.anchors.size(); ++a) {
    rules += set.rules[a].size();
    named += set.named[a];
    ++by_len[std::min(set.anchors[a].bytes.size(), kAnchorMaxB)];
    if (set.rules[a].size() > shared_most) shared_most = set.rules[a].size(), shared_at = a;
  }
  std::snprintf(line, sizeof line,
                "anchors: %zu for %zu rules (%zu by fast_pattern; %zu rules without a positive "
                "content have none)\n",
                set.anchors.size(), rules, named, set.without);
  o += line;
  o += "  length:";
  for (std::size_t l = 1; l <= kAnchorMaxB; ++l) {
    std::snprintf(line, sizeof line, " %zu B %zu%s", l, by_len[l], l < kAnchorMaxB ? "," : "\n");
    o += line;
  }
  std::map<std::size_t, std::size_t> per;  // rules per anchor -> anchors
  for (const auto& r : set.rules) ++per[r.size()];
  o += "  rules per anchor:";
  std::size_t shown = 0;
  for (const auto& [n, k] : per) {
    if (shown++ == 6) {
      o += " ...";
      break;
    }
    std::snprintf(line, sizeof line, " %zu (%zu anchor%s)", n, k, k == 1 ? "" : "s");
    o += line;
  }
  o += "\n";
  if (shared_most > 1) {
    const auto& a = set.anchors[shared_at];
    std::snprintf(line, sizeof line, "  most shared: %s%s, %zu rules\n", hex_bytes(a.bytes).c_str(),
                  a.nocase ? " nocase" : "", shared_most);
    o += line;
  }
  // Anchors expected often, most frequent first.
  std::vector<std::size_t> often;
  for (std::size_t a = 0; a < set.anchors.size(); ++a) {
    if (set.anchors[a].score >= kAnchorOftenLog2) often.push_back(a);
  }
  std::stable_sort(often.begin(), often.end(), [&](std::size_t x, std::size_t y) {
    return set.anchors[x].score > set.anchors[y].score;
  });
  for (std::size_t k = 0; k < often.size() && k < most; ++k) {
    const auto& a = set.anchors[often[k]];
    const auto& r = rs.rules[set.rules[often[k]].front()];
    std::snprintf(line, sizeof line,
                  "warning: anchor %s%s (%zu B, %zu rule%s, first sid %u) will hit often: about "
                  "once per %.0f payload bytes of typical traffic\n",
                  hex_bytes(a.bytes).c_str(), a.nocase ? " nocase" : "", a.bytes.size(),
                  set.rules[often[k]].size(), set.rules[often[k]].size() == 1 ? "" : "s", r.sid,
                  std::exp2(-a.score));
    o += line;
  }
  if (often.size() > most) {
    std::snprintf(line, sizeof line, "warning: %zu more anchors will hit often\n",
                  often.size() - most);
    o += line;
  }
  return o;
}

std::string anchor_list(const RuleSet& rs, const AnchorSet& set) {
  std::vector<std::size_t> order(set.anchors.size());
  for (std::size_t a = 0; a < order.size(); ++a) order[a] = a;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
    return set.anchors[x].score > set.anchors[y].score;
  });
  std::string o =
      "# anchor, nocase, bytes, payload bytes per occurrence, rules by fast_pattern/all, rules\n";
  char line[128];
  for (const auto a : order) {
    const Anchor& an = set.anchors[a];
    std::snprintf(line, sizeof line, "%s\t%s\t%zu\t%.0f\t%u/%zu\t", hex_bytes(an.bytes).c_str(),
                  an.nocase ? "nocase" : "-", an.bytes.size(), std::exp2(-an.score), set.named[a],
                  set.rules[a].size());
    o += line;
    for (std::size_t k = 0; k < set.rules[a].size(); ++k) {
      const Rule& r = rs.rules[set.rules[a][k]];
      o += (k != 0 ? "," : "") + std::to_string(r.gid) + ":" + std::to_string(r.sid);
    }
    o += "\n";
  }
  return o;
}

}  // namespace dejfa
