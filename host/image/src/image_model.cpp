// SPDX-License-Identifier: Apache-2.0
//
// The image model: judges a frame from the decoded image alone, as the datapath does: key ->
// class lookups, AND of class rows, then the content programs run over occurrence lists of the
// literal pieces (what the matcher reports) with the shared inspection algorithm; format 3's
// content rules only when their anchor occurs in the payload (docs/IMAGE.md 4.4).

#include "dejfa/image_model.hpp"

#include <algorithm>
#include <map>

#include "dejfa/content.hpp"
#include "dejfa/image_codec.hpp"

namespace dejfa {

namespace {

bool bit(const Row& r, std::size_t i) { return ((r[i / 32] >> (i % 32)) & 1U) != 0; }

constexpr std::uint32_t kNoAnchor = ~0U;

/// Occurrences of literal pieces in one payload, computed on demand (the matcher's output).
struct Occurrences {
  const Image& img;
  std::span<const std::uint8_t> payload;
  std::uint32_t lit_max;
  mutable std::map<std::uint32_t, std::vector<std::uint32_t>> starts;

  const std::vector<std::uint32_t>& of(std::uint32_t lit) const {
    auto it = starts.find(lit);
    if (it != starts.end()) return it->second;
    std::vector<std::uint32_t> v;
    const auto& l = img.literals[lit];
    std::size_t from = 0;
    while (from + l.bytes.size() <= payload.size()) {
      const auto r = find_bytes(payload.subspan(from), l.bytes, l.nocase);
      if (r < 0) break;
      v.push_back(static_cast<std::uint32_t>(from + static_cast<std::size_t>(r)));
      from += static_cast<std::size_t>(r) + 1;
    }
    return starts.emplace(lit, std::move(v)).first->second;
  }
};

struct ProgramCtx {
  const Image& img;
  const Occurrences& occ;
  std::uint32_t first;  // program index of content 0
};

std::int64_t occ_search(const void* vctx, std::size_t i, std::uint32_t from, std::uint32_t to) {
  const auto* ctx = static_cast<const ProgramCtx*>(vctx);
  const ImageContent& c = ctx->img.program[ctx->first + i];
  const auto& first = ctx->occ.of(ctx->img.pieces[c.pieces_first]);
  for (auto it = std::lower_bound(first.begin(), first.end(), from); it != first.end(); ++it) {
    const std::uint32_t s = *it;
    if (std::uint64_t{s} + c.len > to) return -1;  // starts ascend: no later one fits
    bool all = true;
    for (std::size_t j = 1; j < c.npieces && all; ++j) {
      const auto& pj = ctx->occ.of(ctx->img.pieces[c.pieces_first + j]);
      all = std::binary_search(pj.begin(), pj.end(),
                               s + static_cast<std::uint32_t>(j) * ctx->occ.lit_max);
    }
    if (all) return s;
  }
  return -1;
}

}  // namespace

ImageModel::ImageModel(const Image& img, Policy pol)
    : img_(img), pol_(pol), enabled_(img.rules.size(), true) {
  lim_.hdr_win_b = img.param("HDR_WIN_B");
  bidir_.assign(img.row_words(), 0);
  if (img.format == 3) {
    const hw::Config* cfg = config_of(img);
    hdr::Limits lim = cfg != nullptr ? hdr::Limits::of(*cfg) : hdr::Limits{};
    lim.wide_n = img.rules_n();
    tables_.emplace(lim);
    for (std::uint32_t t = 0; t < img.rt.size(); ++t) {
      for (std::uint32_t i = 0; i < img.rt[t].size(); ++i) {
        hdr::RecWrite w;
        w.tbl = t;
        w.idx = i;
        w.w = img.rt[t][i];
        tables_->write(w);
      }
    }
  }
  if (tables_) {
    filter_ = afilt::tables_of(img.anchors);
    anchor_of_.assign(std::min<std::size_t>(img.rules.size(), img.rules_n()), kNoAnchor);
    for (std::uint32_t a = 0; a < img.anchors.size(); ++a) {
      const ImageAnchor& an = img.anchors[a];
      for (std::uint32_t id = an.first; id < an.first + an.count && id < anchor_of_.size(); ++id) {
        anchor_of_[id] = a;
      }
    }
  }
  for (std::size_t i = 0; i < img.rules.size(); ++i) {
    const ImageRule& r = img.rules[i];
    action_.push_back(r.action);
    if (tables_ && i >= img.rules_n()) {
      // An indexed rule's enable and action are its group's GROUP_EN (the loader checked that
      // they agree with RULES).
      namespace ge = hw::rec::group_en;
      const std::size_t g = (i - img.rules_n()) / 2;
      const bool k1 = (i - img.rules_n()) % 2 != 0;
      const std::uint32_t v = tables_->at(hw::rtbl::GROUP_EN, static_cast<std::uint32_t>(g))[0];
      enabled_[i] = ((v >> (k1 ? ge::EN1_LSB : ge::EN0_LSB)) & 1U) != 0;
      action_.back() = static_cast<Action>((v >> (k1 ? ge::ACT1_LSB : ge::ACT0_LSB)) & 3U);
    }
    if (r.bidirectional && i < img.rules_n()) bidir_[i / 32] |= 1U << (i % 32);
    auto& chain = chains_.emplace_back();
    for (std::size_t k = 0; k < r.ncontents; ++k) {
      const ImageContent& c = img.program[r.prog_first + k];
      ContentSpec s;
      s.len = c.len;
      s.negated = (c.flags & ImageContent::kNegated) != 0;
      if ((c.flags & ImageContent::kOffset) != 0) s.offset = c.offset;
      if ((c.flags & ImageContent::kDepth) != 0) s.depth = c.depth;
      if ((c.flags & ImageContent::kDistance) != 0) s.distance = c.distance;
      if ((c.flags & ImageContent::kWithin) != 0) s.within = c.within;
      chain.push_back(s);
    }
  }
}

void ImageModel::set_enabled(std::size_t rule, bool on) {
  enabled_.at(rule) = on;
  if (tables_ && rule >= img_.rules_n()) write_group_en(rule);
}

void ImageModel::set_action(std::size_t rule, Action a) {
  action_.at(rule) = a;
  if (tables_ && rule >= img_.rules_n()) write_group_en(rule);
}

// GROUP_EN of an indexed rule's group from the enables and actions of its two positions, as the
// driver writes it (an empty position stays disabled).
void ImageModel::write_group_en(std::size_t rule) {
  namespace ge = hw::rec::group_en;
  const std::size_t first = img_.rules_n() + (rule - img_.rules_n()) / 2 * 2;
  std::uint32_t v = 0;
  for (std::size_t k = 0; k < 2; ++k) {
    const std::size_t id = first + k;
    if (id >= img_.rules.size() || img_.rules[id].empty()) continue;
    v |= (enabled_[id] ? 1U : 0U) << (k == 0 ? ge::EN0_LSB : ge::EN1_LSB);
    v |= static_cast<std::uint32_t>(action_[id]) << (k == 0 ? ge::ACT0_LSB : ge::ACT1_LSB);
  }
  hdr::RecWrite w;
  w.tbl = hw::rtbl::GROUP_EN;
  w.idx = static_cast<std::uint32_t>((rule - img_.rules_n()) / 2);
  w.w[0] = v;
  tables_->write(w);
}

std::vector<std::uint32_t> ImageModel::anchors_in(std::span<const std::uint8_t> payload) const {
  // The set found does not depend on where beats start: the payload alone, on 64-byte beats.
  std::vector<std::uint32_t> out;
  for (const auto& f : afilt::confirm_frame(filter_, img_.anchors, payload, 64, 0,
                                            static_cast<std::uint32_t>(payload.size()))) {
    out.push_back(f.anchor);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Row ImageModel::header_bits(const Packet& p) const {
  if (tables_) return hdr::path_eval(*tables_, p).wide;
  Row out(img_.row_words(), 0);
  if (!p.ip) return out;
  auto addr_class = [&](const IpAddr& a) {
    for (std::size_t c = 0; c < img_.addr.size(); ++c) {
      if (img_.addr[c].prefix.contains(a)) return c;
    }
    return img_.addr.size();  // unreachable: the family roots match every address
  };
  const std::size_t ca_s = addr_class(p.src);
  const std::size_t ca_d = addr_class(p.dst);
  const bool ports = p.has_ports() && !p.fragment;
  const std::size_t cp_s = ports ? bound_class(img_.port_bounds, p.sport) : 0;
  const std::size_t cp_d = ports ? bound_class(img_.port_bounds, p.dport) : 0;
  const auto k = small_keys(p);
  const Row& proto = img_.proto.rows[img_.proto.map[k[0]]];
  const Row& ttl = img_.ttl.rows[img_.ttl.map[k[1]]];
  const Row& tcpf = img_.tcpf.rows[img_.tcpf.map[k[2]]];
  const Row& ity = img_.itype.rows[img_.itype.map[k[3]]];
  const Row& ico = img_.icode.rows[img_.icode.map[k[4]]];
  const Row& dsz =
      img_.dsize_rows[p.payload_valid ? bound_class(img_.dsize_bounds, p.payload_len) : 0];
  for (std::size_t w = 0; w < out.size(); ++w) {
    const std::uint32_t fwd = img_.addr_rows[2 * ca_s][w] & img_.addr_rows[2 * ca_d + 1][w] &
                              img_.port_rows[2 * cp_s][w] & img_.port_rows[2 * cp_d + 1][w];
    const std::uint32_t rev = img_.addr_rows[2 * ca_d][w] & img_.addr_rows[2 * ca_s + 1][w] &
                              img_.port_rows[2 * cp_d][w] & img_.port_rows[2 * cp_s + 1][w] &
                              bidir_[w];
    out[w] = (fwd | rev) & proto[w] & ttl[w] & tcpf[w] & ity[w] & ico[w] & dsz[w];
  }
  return out;
}

bool ImageModel::program_match(std::size_t rule, std::span<const std::uint8_t> payload) const {
  const ImageRule& r = img_.rules.at(rule);
  if (r.ncontents == 0) return true;
  const Occurrences occ{img_, payload, img_.param("LIT_MAX_B"), {}};
  ProgramCtx ctx{img_, occ, r.prog_first};
  return content_chain_match(chains_[rule], static_cast<std::uint32_t>(payload.size()),
                             ContentSearch{&ctx, occ_search}, pol_.recursion_limit);
}

Verdict ImageModel::judge(std::span<const std::uint8_t> frame) const {
  const Packet p = decode(frame, lim_);
  Verdict v;
  if (p.ip) {
    hdr::PathOut po;
    if (tables_) po = hdr::path_eval(*tables_, p);
    const Row hdr = tables_ ? po.wide : header_bits(p);
    const std::span<const std::uint8_t> payload = p.payload_valid
                                                      ? frame.subspan(p.payload_off, p.payload_len)
                                                      : std::span<const std::uint8_t>{};
    Occurrences occ{img_, payload, img_.param("LIT_MAX_B"), {}};
    // Format 3: the anchors in the payload, found once a frame on the first candidate's need.
    std::optional<std::vector<bool>> present;
    auto anchored_out = [&](std::size_t i) {
      if (i >= anchor_of_.size() || anchor_of_[i] == kNoAnchor) return false;
      if (!present) {
        present.emplace(img_.anchors.size(), false);
        for (const auto a : anchors_in(payload)) (*present)[a] = true;
      }
      return !(*present)[anchor_of_[i]];
    };
    const std::size_t slots = tables_ ? img_.rules_n() : img_.rules.size();
    for (std::size_t i = 0; i < slots && i < img_.rules.size(); ++i) {
      // An empty wide slot (format 3) holds no rule: the driver leaves it disabled.
      if (!enabled_[i] || !bit(hdr, i) || img_.rules[i].empty()) continue;
      const ImageRule& r = img_.rules[i];
      if (r.ncontents != 0) {
        if (anchored_out(i)) continue;
        ProgramCtx ctx{img_, occ, r.prog_first};
        if (!content_chain_match(chains_[i], static_cast<std::uint32_t>(payload.size()),
                                 ContentSearch{&ctx, occ_search}, pol_.recursion_limit)) {
          continue;
        }
      }
      v.matched.push_back(static_cast<std::uint32_t>(i));
    }
    // Format 3: the indexed groups the lanes hit, each position whose GROUP_EN enable is set.
    if (tables_) {
      namespace ge = hw::rec::group_en;
      std::vector<std::uint32_t> idx;
      for (const hdr::Lane& l : po.lanes) {
        if (!l.hit) continue;
        for (std::uint32_t k = 0; k < 2; ++k) {
          const std::uint32_t id = img_.rules_n() + 2 * l.group + k;
          if (((l.en >> (k == 0 ? ge::EN0_LSB : ge::EN1_LSB)) & 1U) != 0 &&
              id < img_.rules.size()) {
            idx.push_back(id);
          }
        }
      }
      std::sort(idx.begin(), idx.end());
      idx.erase(std::unique(idx.begin(), idx.end()), idx.end());
      v.matched.insert(v.matched.end(), idx.begin(), idx.end());
    }
  }
  decide(v, action_, p.malformed, pol_);
  return v;
}

}  // namespace dejfa
