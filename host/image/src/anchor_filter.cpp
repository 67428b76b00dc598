// SPDX-License-Identifier: Apache-2.0
#include "dejfa/anchor_filter.hpp"

#include <algorithm>
#include <bit>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>

#include "dejfa/gen/regs.hpp"

#include "dejfa/anchor.hpp"
#include "dejfa/strutil.hpp"

namespace dejfa::afilt {

std::uint32_t key4(const std::uint8_t* b) {
  return std::uint32_t{ascii_lower(b[0])} | std::uint32_t{ascii_lower(b[1])} << 8 |
         std::uint32_t{ascii_lower(b[2])} << 16 | std::uint32_t{ascii_lower(b[3])} << 24;
}

std::uint32_t hash(std::uint32_t key) {
  std::uint32_t h = 0;
  for (unsigned i = 0; i < hw::kAnchorHashW; ++i) {
    h |= static_cast<std::uint32_t>(std::popcount(key & hw::kH3Masks[i]) & 1) << i;
  }
  return h;
}

Tables tables_of(const std::vector<ImageAnchor>& anchors) {
  Tables t;
  t.bits.assign(kTableWords, 0);
  t.key_off.assign(anchors.size(), 0);
  t.key_hash.assign(anchors.size(), 0);
  const auto& lf = anchor_byte_logfreq();
  std::map<std::uint32_t, std::size_t> load;  // hash -> anchors keyed on it
  for (std::size_t a = 0; a < anchors.size(); ++a) {
    const auto& b = anchors[a].bytes;
    if (b.size() < 4) continue;
    // The rarest window whose hash is free; the least loaded when none is (ties: the rarer, then
    // the earlier window).
    std::pair<std::size_t, double> best{std::numeric_limits<std::size_t>::max(), 0.0};
    std::size_t at = 0;
    for (std::size_t o = 0; o + 4 <= b.size(); ++o) {
      double score = 0;
      for (std::size_t k = 0; k < 4; ++k) score += lf[ascii_lower(b[o + k])];
      const auto it = load.find(hash(key4(b.data() + o)));
      const std::pair<std::size_t, double> c{it == load.end() ? 0 : it->second, score};
      if (c < best) best = c, at = o;
    }
    const std::uint32_t h = hash(key4(b.data() + at));
    t.key_off[a] = static_cast<std::uint8_t>(at);
    t.key_hash[a] = h;
    t.bucket_max = std::max(t.bucket_max, ++load[h]);
    t.bits[h / 64] |= std::uint64_t{1} << (h % 64);
  }
  std::uint32_t n = 0;
  t.base.assign(kTableWords, 0);
  for (std::uint32_t i = 0; i < kTableWords; ++i) {
    t.base[i] = n;
    n += static_cast<std::uint32_t>(std::popcount(t.bits[i]));
  }
  t.bucket.assign(n, {});
  for (std::uint32_t a = 0; a < anchors.size(); ++a) {
    if (anchors[a].bytes.size() < 4) {
      t.shorts.push_back(a);
    } else {
      t.bucket[t.rank(t.key_hash[a])].push_back(a);
    }
  }
  return t;
}

ShortRows short_rows(const Tables& t, const std::vector<ImageAnchor>& anchors) {
  if (t.shorts.size() > kShortN) {
    throw std::invalid_argument("anchor filter: " + std::to_string(t.shorts.size()) +
                                " anchors of 1-3 bytes, the block holds " +
                                std::to_string(kShortN));
  }
  ShortRows r;
  for (auto& p : r.byte) p.fill(~std::uint64_t{0});  // every entry accepts every byte ...
  for (std::size_t k = 0; k < t.shorts.size(); ++k) {
    const auto& a = anchors[t.shorts[k]];
    const std::size_t n = a.bytes.size();
    const std::uint64_t bit = std::uint64_t{1} << k;
    r.len[n - 1] |= bit;
    for (std::size_t i = 0; i < n; ++i) {
      auto& rows = r.byte[3 - n + i];  // right-aligned: the last byte at position 2
      for (unsigned b = 0; b < 256; ++b) {
        const auto c = static_cast<std::uint8_t>(b);
        if ((a.nocase ? ascii_lower(c) : c) != a.bytes[i]) rows[b] &= ~bit;  // ... but its own
      }
    }
  }
  return r;
}

std::uint32_t Tables::rank(std::uint32_t h) const {
  const std::uint64_t below = (std::uint64_t{1} << (h % 64)) - 1;
  return base[h / 64] + static_cast<std::uint32_t>(std::popcount(bits[h / 64] & below));
}

bool occurs_at(const ImageAnchor& a, std::span<const std::uint8_t> f, std::int64_t s,
               std::uint32_t lo, std::uint32_t hi) {
  const auto end = s + static_cast<std::int64_t>(a.bytes.size());
  if (s < lo || end > hi || end > static_cast<std::int64_t>(f.size())) return false;
  for (std::size_t k = 0; k < a.bytes.size(); ++k) {
    const std::uint8_t c = f[static_cast<std::size_t>(s) + k];
    if ((a.nocase ? ascii_lower(c) : c) != a.bytes[k]) return false;
  }
  return true;
}

CmpRecord cmp_record(const ImageAnchor& a, std::uint8_t key_off) {
  const std::size_t n = a.bytes.size();
  if (n < 4 || n > 8 || key_off + 4U > n) {
    throw std::invalid_argument(
        "anchor filter: a confirm record holds an anchor of 4-8 bytes "
        "keyed inside it");
  }
  CmpRecord r;
  r.first = static_cast<std::uint8_t>(4 - key_off);
  r.len = static_cast<std::uint8_t>(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint8_t c = a.bytes[i];
    r.bytes[i] = c;
    if (a.nocase && c >= 'a' && c <= 'z') r.fold = static_cast<std::uint8_t>(r.fold | 1U << i);
  }
  return r;
}

ConfirmTables confirm_tables(const Tables& t, const std::vector<ImageAnchor>& anchors,
                             std::uint32_t records_n) {
  ConfirmTables c;
  c.rank.assign(kTableWords, {});
  for (const auto& b : t.bucket) {
    if (b.size() > kBucketMax) {
      throw std::invalid_argument("anchor confirm: " + std::to_string(b.size()) +
                                  " anchors on one hash (anchor " + std::to_string(b[0]) +
                                  " and others), the tables hold " + std::to_string(kBucketMax));
    }
  }
  for (std::uint32_t i = 0; i < kTableWords; ++i) {
    RankWord& r = c.rank[i];
    r.bits = t.bits[i];
    r.base = static_cast<std::uint32_t>(c.rec.size());
    for (std::uint32_t j = 0; j < 64; ++j) {
      if (((r.bits >> j) & 1U) == 0) continue;
      const auto& b = t.bucket[t.rank(i * 64 + j)];
      if (b.size() == 2) r.two |= std::uint64_t{1} << j;
      for (const auto a : b) {
        c.rec.push_back(ConfirmRecord{cmp_record(anchors[a], t.key_off[a]), anchors[a].nocase, a});
      }
    }
  }
  if (c.rec.size() > records_n) {
    throw std::invalid_argument("anchor confirm: " + std::to_string(c.rec.size()) +
                                " anchors of 4-8 bytes, the tables hold " +
                                std::to_string(records_n) + " (ANCHORS_N)");
  }
  return c;
}

std::pair<std::uint32_t, std::uint32_t> ConfirmTables::records_of(std::uint32_t h) const {
  const RankWord& r = rank[h / 64];
  const std::uint64_t below = (std::uint64_t{1} << (h % 64)) - 1;
  const auto first = r.base + static_cast<std::uint32_t>(std::popcount(r.bits & below) +
                                                         std::popcount(r.two & below));
  if (((r.bits >> (h % 64)) & 1U) == 0) return {first, 0};
  return {first, 1 + static_cast<std::uint32_t>((r.two >> (h % 64)) & 1U)};
}

namespace {
void put_bits(std::vector<std::uint32_t>& w, unsigned at, unsigned n, std::uint64_t v) {
  for (unsigned i = 0; i < n; ++i) {
    if (((v >> i) & 1U) != 0) w[(at + i) / 32] |= 1U << ((at + i) % 32);
  }
}
}  // namespace

std::vector<std::uint32_t> record_words(const ConfirmRecord& r) {
  std::vector<std::uint32_t> w(3, 0);
  std::uint64_t bytes = 0;
  for (unsigned i = 0; i < 8; ++i) bytes |= std::uint64_t{r.cmp.bytes[i]} << (8 * i);
  put_bits(w, 0, 64, bytes);
  put_bits(w, 64, 4, r.cmp.len);
  put_bits(w, 68, 3, r.cmp.first);
  put_bits(w, 71, 1, r.nocase ? 1 : 0);
  return w;
}

std::vector<std::uint32_t> rank_words(const RankWord& r) {
  std::vector<std::uint32_t> w(5, 0);
  put_bits(w, 0, 64, r.bits);
  put_bits(w, 64, 64, r.two);
  put_bits(w, 128, 16, r.base);
  return w;
}

RangeTables range_tables(const ConfirmTables& c, const Tables& t,
                         const std::vector<ImageAnchor>& anchors) {
  const auto range_of = [&](std::uint32_t id) {
    const ImageAnchor& a = anchors.at(id);
    const Range r{a.first, a.count};
    constexpr std::uint32_t kFirstMax = (1U << hw::rec::range_rec::FIRST_W) - 1;
    constexpr std::uint32_t kCountMax = (1U << hw::rec::range_rec::COUNT_W) - 1;
    if (r.count == 0 || r.first > kFirstMax || r.count > kCountMax) {
      throw std::invalid_argument("anchor " + std::to_string(id) + ": rules [" +
                                  std::to_string(r.first) + ", +" + std::to_string(r.count) +
                                  ") do not fit a range record");
    }
    return r;
  };
  RangeTables out;
  out.rec.reserve(c.rec.size());
  for (const auto& r : c.rec) out.rec.push_back(range_of(r.id));
  out.shorts.reserve(t.shorts.size());
  for (const auto id : t.shorts) out.shorts.push_back(range_of(id));
  return out;
}

std::uint32_t range_word(const Range& r) {
  return (r.first << hw::rec::range_rec::FIRST_LSB) | (r.count << hw::rec::range_rec::COUNT_LSB);
}

std::vector<hdr::RecWrite> load_writes(const std::vector<ImageAnchor>& anchors,
                                       std::uint32_t records_n) {
  namespace rt = hw::rtbl;
  const Tables t = tables_of(anchors);
  const ConfirmTables c = confirm_tables(t, anchors, records_n);
  const ShortRows sr = short_rows(t, anchors);
  const RangeTables rg = range_tables(c, t, anchors);
  std::vector<hdr::RecWrite> out;
  const auto add = [&](std::uint32_t tbl, std::uint32_t idx, const std::vector<std::uint32_t>& w) {
    hdr::RecWrite x;
    x.tbl = tbl;
    x.idx = idx;
    std::copy(w.begin(), w.end(), x.w.begin());
    out.push_back(x);
  };
  const auto u64 = [](std::uint64_t v) {
    return std::vector<std::uint32_t>{static_cast<std::uint32_t>(v),
                                      static_cast<std::uint32_t>(v >> 32)};
  };
  for (std::uint32_t i = 0; i < kTableWords; ++i) add(rt::ANCH_BITS, i, u64(t.bits[i]));
  for (std::uint32_t i = 0; i < kTableWords; ++i) add(rt::ANCH_RANK, i, rank_words(c.rank[i]));
  for (std::uint32_t i = 0; i < c.rec.size(); ++i) add(rt::ANCH_REC, i, record_words(c.rec[i]));
  for (std::uint32_t p = 0; p < 3; ++p) {
    for (std::uint32_t b = 0; b < 256; ++b) add(rt::ANCH_SHORT, 256 * p + b, u64(sr.byte[p][b]));
  }
  for (std::uint32_t n = 0; n < 3; ++n) add(rt::ANCH_SHORT, 768 + n, u64(sr.len[n]));
  for (std::uint32_t i = 0; i < rg.rec.size(); ++i) {
    add(rt::ANCH_RANGE, i, {range_word(rg.rec[i])});
  }
  for (std::uint32_t i = 0; i < rg.shorts.size(); ++i) {
    add(rt::SHORT_RANGE, i, {range_word(rg.shorts[i])});
  }
  return out;
}

std::vector<Found> confirm_frame(const Tables& t, const std::vector<ImageAnchor>& anchors,
                                 std::span<const std::uint8_t> frame, unsigned w,
                                 std::uint32_t pay_off, std::uint32_t pay_len) {
  std::vector<Found> out;
  const auto beats = beats_of(t, frame, w);
  const std::uint32_t hi = pay_off + pay_len;
  for (std::uint32_t k = 0; k < beats.size(); ++k) {
    std::vector<std::uint32_t> found;
    for (unsigned e = 0; e < w; ++e) {
      if (((beats[k].first >> e) & 1U) == 0) continue;
      for (const auto a : t.bucket[t.rank(beats[k].hash[e])]) {
        // Every start whose key ends in this beat.
        const std::int64_t ke = std::int64_t{t.key_off[a]} + 3;
        for (unsigned x = 0; x < w; ++x) {
          if (occurs_at(anchors[a], frame, std::int64_t{k} * w + x - ke, pay_off, hi)) {
            found.push_back(a);
            break;
          }
        }
      }
    }
    for (const auto a : t.shorts) {
      const auto n = static_cast<std::int64_t>(anchors[a].bytes.size());
      for (unsigned x = 0; x < w; ++x) {
        if (occurs_at(anchors[a], frame, std::int64_t{k} * w + x + 1 - n, pay_off, hi)) {
          found.push_back(a);
          break;
        }
      }
    }
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end()), found.end());
    for (const auto a : found) out.push_back(Found{k, a});
  }
  return out;
}

std::vector<Beat> beats_of(const Tables& t, std::span<const std::uint8_t> frame, unsigned w) {
  std::vector<Beat> out((frame.size() + w - 1) / w);
  for (std::size_t k = 0; k < out.size(); ++k) {
    Beat& b = out[k];
    b.hash.assign(w, 0);
    for (unsigned e = 0; e < w; ++e) {
      const std::size_t end = k * w + e;  // the key's last byte
      if (end < 3 || end >= frame.size()) continue;
      const std::uint32_t h = hash(key4(frame.data() + end - 3));
      b.hash[e] = static_cast<std::uint16_t>(h);
      b.keyed |= std::uint64_t{1} << e;
      if (!t.bit(h)) continue;
      b.pass |= std::uint64_t{1} << e;
      bool seen = false;
      for (unsigned j = e > kDedupeWin ? e - kDedupeWin : 0; j < e && !seen; ++j) {
        seen = ((b.pass >> j) & 1U) != 0 && b.hash[j] == h;
      }
      if (!seen) b.first |= std::uint64_t{1} << e;
    }
  }
  return out;
}

}  // namespace dejfa::afilt
