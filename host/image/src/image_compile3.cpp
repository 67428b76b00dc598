// SPDX-License-Identifier: Apache-2.0
//
// Rule set -> image format 3 (docs/IMAGE.md section 4): the header index and the wide block's
// tables (dejfa::hdr) as [[rtable]] entries, rule ids as section 4.1 lays them out, and version
// 1's content programs for the rules in the wide slots, and the anchors of the content rules.

#include <limits>

#include "dejfa/anchor.hpp"
#include "dejfa/hdr_index.hpp"
#include "dejfa/image_compile.hpp"

namespace dejfa {

CompileResult compile_v3(const RuleSet& rs, const hw::Config& cfg) {
  CompileResult res;
  Image& img = res.image;
  img.format = 3;
  img.params = cfg.params();
  auto fail = [&](std::string msg) { capacity_error(res, std::move(msg)); };
  auto usage = [&](std::string what, std::uint64_t used, std::uint64_t avail) {
    capacity_usage(res, cfg, std::move(what), used, avail);
  };

  // ---- header tables
  // The wide slots are the per-rule structures' slots: Limits::of sets WIDE_N = RULES_N.
  const hdr::Limits lim = hdr::Limits::of(cfg);
  hdr::Index idx;
  hdr::Wide wide;
  if (!hdr::build(rs, lim, idx, res.diags) || !hdr::build_wide(rs, idx, wide, res.diags)) {
    return res;
  }
  usage("header groups (GROUPS_N)", idx.groups.size(), lim.groups_n);
  usage("address classes (ADDR_CLS_N)", idx.addr_bounds.size(), lim.addr_cls_n);
  usage("port classes", idx.port_bounds.size() + 1, lim.pcls_n);
  usage("small-field specs (SPEC_N)", idx.specs.size(), lim.spec_n);
  usage("wide slots (RULES_N): content rules and rules of wide groups", wide.rules.size(),
        lim.wide_n);
  usage("wide address classes (WCLS_N)", wide.addr_wcls_n(), lim.wcls_n);
  usage("wide port classes (WCLS_N)", wide.port_wcls_n(), lim.wcls_n);

  // ---- rule ids (IMAGE.md 4.1)
  constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
  const std::uint32_t wn = lim.wide_n;
  std::vector<std::uint32_t> rule_of(wn + 2 * idx.groups.size(), kNone);
  for (std::size_t w = 0; w < wide.rules.size(); ++w) rule_of[w] = wide.rules[w];
  for (std::size_t g = 0; g < idx.groups.size(); ++g) {
    const hdr::Group& gr = idx.groups[g];
    if (!gr.header_only || gr.wide) continue;
    for (std::size_t k = 0; k < gr.rules.size(); ++k) rule_of[wn + 2 * g + k] = gr.rules[k];
  }
  while (rule_of.size() > wn && rule_of.back() == kNone) rule_of.pop_back();
  // The RULE_CNT window reads 16 bytes an id (docs/ARCHITECTURE.md section 6: it grows to 32,768
  // ids when version 1's tables leave the TABLES window).
  usage("rule ids (RULE_CNT window)", rule_of.size(), hw::window::RULE_CNT_SIZE / 16);
  res.id_of_rule.assign(rs.rules.size(), kNone);
  std::vector<const Rule*> content_rules(wn, nullptr);
  for (std::size_t id = 0; id < rule_of.size(); ++id) {
    if (rule_of[id] == kNone) {
      img.rules.emplace_back();
      continue;
    }
    const Rule& r = rs.rules[rule_of[id]];
    res.id_of_rule[rule_of[id]] = static_cast<std::uint32_t>(id);
    img.rules.push_back(image_rule(r));
    if (id < wn) content_rules[id] = &r;
  }

  // ---- CONT_REC: each content rule's header group (ids 0 .. c - 1 are the content rules,
  // build_wide's first wide slots), for the lanes behind issue #25's expansion
  {
    auto& cr = img.rt.at(hw::rtbl::CONT_REC);
    for (std::size_t id = 0; id < wide.rules.size() && !rs.rules[wide.rules[id]].contents.empty();
         ++id) {
      RtEntry e{};
      e[0] = idx.group_of_rule[wide.rules[id]];
      cr.push_back(e);
    }
  }

  // ---- the tables' entries: every rule enabled with its own action
  std::vector<bool> en(rs.rules.size(), true);
  std::vector<Action> act;
  act.reserve(rs.rules.size());
  for (const auto& r : rs.rules) act.push_back(r.action);
  auto writes = hdr::index_writes(idx, en, act);
  const auto wws = hdr::wide_writes(idx, wide);
  writes.insert(writes.end(), wws.begin(), wws.end());
  for (const auto& w : writes) {
    auto& t = img.rt.at(w.tbl);
    if (t.size() <= w.idx) t.resize(w.idx + 1, RtEntry{});
    t[w.idx] = w.w;
  }

  // ---- anchors (IMAGE.md 4.4): build_wide put the content rules in anchor order, so each
  // anchor's rules are one range of ids from 0; the rules without an anchor follow them.
  {
    const AnchorSet as = anchors_of(rs);
    std::vector<std::uint32_t> anchor_of_rule(rs.rules.size(), kNone);
    for (std::uint32_t a = 0; a < as.rules.size(); ++a) {
      for (const auto i : as.rules[a]) anchor_of_rule[i] = a;
    }
    std::uint32_t cur = kNone;
    for (std::uint32_t s = 0; s < wide.rules.size(); ++s) {
      const std::uint32_t a = anchor_of_rule[wide.rules[s]];
      if (a == kNone) break;
      if (a != cur) {
        img.anchors.push_back(ImageAnchor{as.anchors[a].bytes, as.anchors[a].nocase, s, 0});
        cur = a;
      }
      ++img.anchors.back().count;
    }
  }

  // ---- contents of the rules in the wide slots
  const std::size_t most = add_contents(img, content_rules, cfg, usage, fail);
  res.usage.push_back(Usage{"contents per rule (CONT_N)", most, cfg.cont_n});
  res.ok = std::none_of(res.diags.begin(), res.diags.end(),
                        [](const Diag& d) { return d.severity == Severity::Error; });

  // ---- CONT_REC's DECIDED: the rules the confirm decides, from their programs and anchors as
  // laid out above (the loader derives it the same way and refuses an image that differs)
  if (res.ok) {
    auto& cr = img.rt.at(hw::rtbl::CONT_REC);
    for (std::uint32_t id = 0; id < cr.size(); ++id) {
      if (decided_by_anchor(img, id)) cr[id][0] |= 1U << hw::rec::cont_rec::DECIDED_LSB;
    }
  }
  return res;
}

}  // namespace dejfa
