// SPDX-License-Identifier: Apache-2.0
//
// The image model: judges a frame from the decoded image alone, as the datapath does: key ->
// class lookups, AND of class rows, then the content programs run over occurrence lists of the
// literal pieces (what the matcher reports) with the shared inspection algorithm.

#include "dejfa/image_model.hpp"

#include <algorithm>
#include <map>

#include "dejfa/content.hpp"

namespace dejfa {

namespace {

bool bit(const Row& r, std::size_t i) { return ((r[i / 32] >> (i % 32)) & 1U) != 0; }

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
  for (std::size_t i = 0; i < img.rules.size(); ++i) {
    const ImageRule& r = img.rules[i];
    action_.push_back(r.action);
    if (r.bidirectional) bidir_[i / 32] |= 1U << (i % 32);
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

Row ImageModel::header_bits(const Packet& p) const {
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

Verdict ImageModel::judge(std::span<const std::uint8_t> frame) const {
  const Packet p = decode(frame, lim_);
  Verdict v;
  if (p.ip) {
    const Row hdr = header_bits(p);
    const std::span<const std::uint8_t> payload = p.payload_valid
                                                      ? frame.subspan(p.payload_off, p.payload_len)
                                                      : std::span<const std::uint8_t>{};
    Occurrences occ{img_, payload, img_.param("LIT_MAX_B"), {}};
    for (std::size_t i = 0; i < img_.rules.size(); ++i) {
      if (!enabled_[i] || !bit(hdr, i)) continue;
      const ImageRule& r = img_.rules[i];
      if (r.ncontents != 0) {
        ProgramCtx ctx{img_, occ, r.prog_first};
        if (!content_chain_match(chains_[i], static_cast<std::uint32_t>(payload.size()),
                                 ContentSearch{&ctx, occ_search}, pol_.recursion_limit)) {
          continue;
        }
      }
      v.matched.push_back(static_cast<std::uint32_t>(i));
    }
  }
  decide(v, action_, p.malformed, pol_);
  return v;
}

}  // namespace dejfa
