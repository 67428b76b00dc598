// SPDX-License-Identifier: Apache-2.0
//
// The verifier's cycle model (dejfa/verify_model.hpp): hw/rtl/dejfa_verifier.sv's states, one
// loop iteration a cycle, with the RTL's 32-bit window arithmetic and its registered scan (a
// slice's starts compared in one cycle and decided in the next). The window arithmetic is
// written here apart from content.cpp's on purpose, in the RTL's form: host.verify_model holds
// the two to each other, and rtl.verifiers this one to the RTL.

#include "dejfa/verify_model.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <stdexcept>
#include <vector>

#include "dejfa/gen/regs.hpp"

#include "dejfa/image_tables.hpp"

namespace dejfa {

namespace {

enum class St { Win, Scan, Cmp, Vcmp, Unwind };

std::uint8_t fold(std::uint8_t c, bool nc) {
  return nc && c >= 0x41 && c <= 0x5A ? static_cast<std::uint8_t>(c + 0x20) : c;
}

struct Entry {  // one PROG entry as the verifier decodes it
  std::uint32_t flags = 0, len = 0, lit = 0, np = 0, off = 0, dep = 0, dist = 0, within = 0;
  [[nodiscard]] bool f(unsigned bit) const { return ((flags >> bit) & 1U) != 0; }
};

}  // namespace

VerifyResult verify_job(const Image& img, std::uint32_t rule, std::span<const std::uint8_t> frame,
                        std::uint32_t poff, std::uint32_t plen, std::uint32_t budget,
                        std::uint32_t rec_limit, std::uint32_t starts) {
  if (budget < 2) throw std::invalid_argument("verify_job: a budget of at least 2 cycles");
  if (starts == 0 || starts > 64 || (starts & (starts - 1)) != 0)
    throw std::invalid_argument("verify_job: starts a power of two up to 64");
  const ImageRule& r = img.rules.at(rule);
  const std::uint32_t cont_n = img.param("CONT_N");
  const auto entry = [&](std::uint32_t i) {
    const bool last = i + 1 >= r.prog_first + r.ncontents;
    const auto w = prog_words(img, i, last);
    Entry e;
    e.flags = w[0] >> 16;
    e.len = w[0] & 0xFFFFU;
    e.lit = w[1] & 0xFFFFU;
    e.np = w[1] >> 16;
    e.off = w[2] & 0xFFFFU;
    e.dep = w[2] >> 16;
    e.dist = w[3] & 0xFFFFU;
    if (e.f(hw::pflag::DIST_NEG)) e.dist |= 0xFFFF0000U;
    e.within = w[3] >> 16;
    return e;
  };
  const auto byte_at = [&](std::uint32_t pos) -> std::uint8_t {
    return pos < frame.size() ? frame[pos] : 0;  // beyond the frame: never inside a window
  };
  const auto lit_byte = [&](std::uint32_t slot, std::uint32_t j) -> std::uint8_t {
    const auto& b = img.literals.at(slot).bytes;
    return j < b.size() ? b[j] : 0;
  };

  // state
  St st = St::Win;
  std::uint32_t held = 1;  // the take
  std::uint32_t lvl = 0, count = 1, boff = 0;
  std::vector<std::uint32_t> pbo(cont_n, 0), poffs(cont_n, 0), mo(cont_n, 0), lflag(cont_n, 0),
      llen(cont_n, 0);
  std::vector<bool> tail(cont_n, false);
  Entry cur;  // c_*_q: the content being searched
  // sw: the slice of `starts` start positions being compared (a 64-byte word as built), hsw the
  // slice hit_q was compared in; positions are slice x starts + k, modulo 2^32 as the RTL's
  std::uint32_t a_lo = 0, a_hi = 0, sw = 0, k0 = 0, vj = 0, hsw = 0;
  std::uint64_t hit_q = 0;  // the scan's registered starts
  bool hlast_q = false;
  const std::uint32_t ppos = poff;
  const std::uint32_t buflen = plen;

  // piece `piece` of the current content at start `at` (frame byte; the piece's bytes from
  // at + 64 piece, up to 64 of them)
  const auto hit = [&](std::uint32_t at, std::uint32_t piece) {
    const std::uint32_t rest = cur.len - 64 * piece;
    const std::uint32_t n = rest < 64 ? rest : 64;
    const bool nc = cur.f(hw::pflag::NOCASE);
    for (std::uint32_t j = 0; j < n; ++j) {
      if (fold(byte_at(at + 64 * piece + j), nc) != fold(lit_byte(cur.lit + piece, j), nc))
        return false;
    }
    return true;
  };

  if (rec_limit == 1) return {false, false, held};
  while (true) {
    bool fin = false, match = false;
    St next = st;
    std::uint64_t hit_next = 0;
    bool hlast_next = false;
    const auto finish = [&](bool m) {
      fin = true;
      match = m;
    };
    // a level entered in the cycle its predecessor succeeds (no cycle of its own)
    const auto advance = [&](const Entry& e, bool t, std::uint32_t new_boff) {
      if (e.f(hw::pflag::LAST)) {
        finish(true);
      } else if (++count == rec_limit) {
        finish(false);
      } else {
        tail[lvl % cont_n] = t;
        ++lvl;
        pbo[lvl % cont_n] = new_boff;
        poffs[lvl % cont_n] = 0;
        next = St::Win;
      }
    };
    const auto not_found = [&](const Entry& e) {
      if (!e.f(hw::pflag::NEGATED)) {
        if (e.f(hw::pflag::DISTANCE) || e.f(hw::pflag::WITHIN)) {
          next = St::Unwind;
        } else {
          finish(false);
        }
      } else {
        advance(e, true, boff);
      }
    };
    const auto found_occurrence = [&](std::uint32_t start_abs) {
      if (cur.f(hw::pflag::NEGATED)) {
        if (cur.f(hw::pflag::SINGLE)) {
          finish(false);
        } else {
          next = St::Unwind;
        }
      } else {
        const std::uint32_t end = start_abs - ppos + cur.len;
        mo[lvl % cont_n] = end;
        advance(cur, false, end);
        boff = end;
      }
    };
    switch (st) {
      case St::Win: {
        const Entry e = entry(r.prog_first + lvl % cont_n);
        const bool rel = e.f(hw::pflag::DISTANCE) || e.f(hw::pflag::WITHIN);
        std::uint32_t w_off = 0, w_dep = buflen;
        if (rel) {
          w_off = pbo[lvl % cont_n];
          if (e.f(hw::pflag::DISTANCE)) {
            if ((e.dist >> 31) != 0 && (0U - e.dist) > w_off) {
              w_off = 0;
            } else {
              w_off += e.dist;
            }
          }
          if (e.f(hw::pflag::WITHIN)) {
            const std::uint32_t lim =
                pbo[lvl % cont_n] + e.within + (e.f(hw::pflag::DISTANCE) ? e.dist : 0U);
            if (static_cast<std::int32_t>(w_dep) > static_cast<std::int32_t>(lim)) w_dep = lim;
          }
        } else {
          w_off = e.f(hw::pflag::OFFSET) ? e.off : 0;
          if (e.f(hw::pflag::DEPTH)) w_dep = w_off + e.dep;
        }
        if (poffs[lvl % cont_n] != 0) w_off = poffs[lvl % cont_n];
        if (w_dep > buflen) w_dep = buflen;
        cur = e;
        lflag[lvl % cont_n] = e.flags;
        llen[lvl % cont_n] = e.len;
        a_lo = w_off + ppos;
        a_hi = w_dep - e.len + ppos;
        sw = (w_off + ppos) / starts;
        if (w_off > w_dep || w_dep == 0) {
          if (e.f(hw::pflag::NEGATED)) {
            advance(e, true, boff);
          } else {
            next = St::Unwind;
          }
        } else if (w_dep - w_off < e.len) {
          not_found(e);
        } else {
          next = St::Cmp;
        }
        break;
      }
      case St::Scan:
        next = St::Cmp;
        break;
      case St::Cmp: {
        // this cycle: slice sw compared (registered for the next), the last slice's starts decided
        for (std::uint32_t k = 0; k < starts; ++k) {
          const std::uint32_t pos = sw * starts + k;
          if (pos >= a_lo && pos <= a_hi && hit(pos, 0)) hit_next |= std::uint64_t{1} << k;
        }
        hlast_next = sw * starts + (starts - 1) >= a_hi;
        if (hit_q != 0) {
          std::uint32_t k = 0;
          while (((hit_q >> k) & 1U) == 0) ++k;
          k0 = k;
          if (cur.np > 1) {
            vj = 1;
            next = St::Vcmp;
          } else {
            found_occurrence(hsw * starts + k0);
          }
        } else {
          hsw = sw;
          if (hlast_q) {
            not_found(cur);
          } else {
            ++sw;
          }
        }
        break;
      }
      case St::Vcmp:
        if (!hit(hsw * starts + k0, vj)) {
          const std::uint32_t from = hsw * starts + k0 + 1;
          a_lo = from;
          sw = from / starts;
          next = St::Scan;
        } else if (vj + 1 < cur.np) {
          ++vj;
        } else {
          found_occurrence(hsw * starts + k0);
        }
        break;
      case St::Unwind:
        if (lvl == 0) {
          finish(false);
        } else {
          --lvl;
          const std::uint32_t up = lvl % cont_n;
          if (!tail[up]) {
            if (((lflag[up] >> hw::pflag::WITHIN_NEXT) & 1U) == 0) {
              finish(false);
            } else {
              poffs[up] = mo[up] - (llen[up] - 1);
              next = St::Win;
            }
          }
        }
        break;
    }
    ++held;
    if (fin) return {match, false, held};
    if (held >= budget) return {false, true, held};
    hit_q = st == St::Cmp ? hit_next : 0;
    hlast_q = st == St::Cmp && hlast_next;
    st = next;
  }
}

bool verify_bounded(const Image& img, std::uint32_t rule) {
  const ImageRule& r = img.rules.at(rule);
  for (std::uint32_t c = 0; c < r.ncontents; ++c) {
    if (img.program[r.prog_first + c].npieces > 1) return false;
    if (c + 1 < r.ncontents &&
        (img.program[r.prog_first + c + 1].flags & ImageContent::kWithin) != 0)
      return false;
  }
  return true;
}

namespace {

// The window a content's search spans when it is not the payload: its depth (absolute with
// depth) or its within (relative with within; a relative content's depth counts from the
// previous match, so it does not bound the span).
std::optional<std::uint32_t> content_window(const ImageContent& e) {
  const bool rel = (e.flags & (ImageContent::kDistance | ImageContent::kWithin)) != 0;
  if ((e.flags & ImageContent::kWithin) != 0) return e.within;
  if (!rel && (e.flags & ImageContent::kDepth) != 0) return e.depth;
  return std::nullopt;
}

}  // namespace

std::uint32_t verify_budget(const Image& img, std::uint32_t rule, std::uint32_t plen,
                            std::uint32_t starts) {
  const ImageRule& r = img.rules.at(rule);
  std::uint32_t b = 1;
  for (std::uint32_t c = 0; c < r.ncontents; ++c) {
    const auto w = content_window(img.program[r.prog_first + c]);
    const std::uint32_t span = w ? std::min(plen, *w) : plen;
    b += (span + starts - 1) / starts + 4;
  }
  return b;
}

BudgetTerms verify_budget_terms(const Image& img, std::uint32_t rule, std::uint32_t starts) {
  const ImageRule& r = img.rules.at(rule);
  BudgetTerms t;
  t.fixed = 1;
  t.doubled = !verify_bounded(img, rule);
  for (std::uint32_t c = 0; c < r.ncontents; ++c) {
    t.fixed += 4;
    if (const auto w = content_window(img.program[r.prog_first + c])) {
      t.fixed += (*w + starts - 1) / starts;
    } else {
      ++t.payload_contents;
    }
  }
  return t;
}

std::uint32_t BudgetTerms::budget(std::uint32_t plen, std::uint32_t starts,
                                  std::uint32_t budget_max) const {
  const std::uint64_t words = (std::uint64_t{plen} + starts - 1) / starts;
  std::uint64_t b = fixed + payload_contents * words;
  if (doubled) b *= 2;
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(b, budget_max));
}

}  // namespace dejfa
