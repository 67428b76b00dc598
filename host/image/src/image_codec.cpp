// SPDX-License-Identifier: Apache-2.0
//
// Rule image binary format (docs/IMAGE.md section 3): encoder, strict decoder, dump.

#include "dejfa/image_codec.hpp"

#include <algorithm>
#include <bit>
#include <cstdio>
#include <cstring>
#include <map>
#include <set>
#include <tuple>

namespace dejfa {

namespace {

constexpr std::uint32_t kVersion = hw::kImageFormat;
constexpr std::uint32_t kHeaderSize = 32;

enum Sec : std::uint32_t {
  kRules = 1,
  kStrings,
  kAddrPrefix,
  kAddrRows,
  kPortBounds,
  kPortRows,
  kProtoMap,
  kProtoRows,
  kTtlMap,
  kTtlRows,
  kTcpfMap,
  kTcpfRows,
  kItypeMap,
  kItypeRows,
  kIcodeMap,
  kIcodeRows,
  kDsizeBounds,
  kDsizeRows,
  kLiterals,
  kLitBytes,
  kPieces,
  kProgram,
  kSecEnd
};

const char* sec_name(std::uint32_t id) {
  static constexpr const char* kNames[] = {
      "?",          "RULES",     "STRINGS",    "ADDR_PREFIX", "ADDR_ROWS",  "PORT_BOUNDS",
      "PORT_ROWS",  "PROTO_MAP", "PROTO_ROWS", "TTL_MAP",     "TTL_ROWS",   "TCPF_MAP",
      "TCPF_ROWS",  "ITYPE_MAP", "ITYPE_ROWS", "ICODE_MAP",   "ICODE_ROWS", "DSIZE_BOUNDS",
      "DSIZE_ROWS", "LITERALS",  "LIT_BYTES",  "PIECES",      "PROGRAM"};
  return id < kSecEnd ? kNames[id] : "?";
}

class Writer {
 public:
  std::vector<std::uint8_t> b;
  void u8(std::uint32_t v) { b.push_back(static_cast<std::uint8_t>(v)); }
  void u16(std::uint32_t v) {
    u8(v);
    u8(v >> 8);
  }
  void u32(std::uint32_t v) {
    u16(v & 0xFFFF);
    u16(v >> 16);
  }
  void bytes(std::span<const std::uint8_t> s) { b.insert(b.end(), s.begin(), s.end()); }
  void align() {
    while (b.size() % 4 != 0) b.push_back(0);
  }
};

class Reader {
 public:
  Reader(std::span<const std::uint8_t> s, std::string& err, const char* what)
      : s_(s), err_(err), what_(what) {}
  [[nodiscard]] bool ok() const { return ok_; }
  std::uint32_t u8() {
    if (!need(1)) return 0;
    return s_[at_++];
  }
  // Little-endian; each read is its own statement (the operands of `|` are unsequenced, so
  // `u8() | (u8() << 8)` may read the high byte first).
  std::uint32_t u16() {
    const std::uint32_t lo = u8();
    return lo | (u8() << 8);
  }
  std::uint32_t u32() {
    const std::uint32_t lo = u16();
    return lo | (u16() << 16);
  }
  std::span<const std::uint8_t> bytes(std::size_t n) {
    if (!need(n)) return {};
    auto r = s_.subspan(at_, n);
    at_ += n;
    return r;
  }
  [[nodiscard]] bool at_end() const { return at_ == s_.size(); }

 private:
  bool need(std::size_t n) {
    if (!ok_) return false;
    if (at_ + n > s_.size()) {
      ok_ = false;
      err_ = std::string("section ") + what_ + " is truncated";
      return false;
    }
    return true;
  }
  std::span<const std::uint8_t> s_;
  std::string& err_;
  const char* what_;
  std::size_t at_ = 0;
  bool ok_ = true;
};

struct Strings {
  std::vector<std::uint8_t> data;
  std::map<std::string, std::uint32_t> index;
  std::uint32_t add(const std::string& s) {
    auto it = index.find(s);
    if (it != index.end()) return it->second;
    const auto off = static_cast<std::uint32_t>(data.size());
    data.insert(data.end(), s.begin(), s.end());
    data.push_back(0);
    index.emplace(s, off);
    return off;
  }
};

void put_rows(Writer& w, const std::vector<Row>& rows) {
  for (const auto& r : rows) {
    for (auto x : r) w.u32(x);
  }
}

}  // namespace

std::uint32_t crc32(std::span<const std::uint8_t> data) {
  static const auto kTable = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1U) != 0 ? 0xEDB88320U ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  std::uint32_t c = 0xFFFFFFFFU;
  for (auto byte : data) c = kTable[(c ^ byte) & 0xFFU] ^ (c >> 8);
  return c ^ 0xFFFFFFFFU;
}

std::vector<std::uint8_t> encode(const Image& img) {
  std::vector<std::pair<std::uint32_t, Writer>> secs;
  std::vector<std::uint32_t> counts;
  auto sec = [&](std::uint32_t id, std::uint32_t count) -> Writer& {
    secs.emplace_back(id, Writer{});
    counts.push_back(count);
    return secs.back().second;
  };
  Strings strs;
  {
    Writer& w = sec(kRules, static_cast<std::uint32_t>(img.rules.size()));
    for (const auto& r : img.rules) {
      w.u32(r.sid);
      w.u32(r.gid);
      w.u32(r.rev);
      w.u32(r.priority);
      w.u8(static_cast<std::uint32_t>(r.action));
      w.u8(r.bidirectional ? 1U : 0U);
      w.u16(r.ncontents);
      w.u32(r.prog_first);
      w.u32(strs.add(r.msg));
      w.u32(strs.add(r.classtype));
      w.u32(strs.add(r.source));
      w.u32(0);
    }
  }
  sec(kStrings, static_cast<std::uint32_t>(strs.data.size())).bytes(strs.data);
  {
    Writer& w = sec(kAddrPrefix, static_cast<std::uint32_t>(img.addr.size()));
    for (std::size_t c = 0; c < img.addr.size(); ++c) {
      const auto& p = img.addr[c].prefix;
      w.u8(p.addr.v6 ? 1U : 0U);
      w.bytes(p.addr.b);
      w.u8(p.len);
      w.u8(static_cast<std::uint32_t>(c));
      w.u8(0);
    }
  }
  put_rows(sec(kAddrRows, static_cast<std::uint32_t>(img.addr_rows.size())), img.addr_rows);
  {
    Writer& w = sec(kPortBounds, static_cast<std::uint32_t>(img.port_bounds.size()));
    for (auto b : img.port_bounds) w.u16(b);
  }
  put_rows(sec(kPortRows, static_cast<std::uint32_t>(img.port_rows.size())), img.port_rows);
  const std::pair<const ClassTable*, std::uint32_t> smalls[] = {{&img.proto, kProtoMap},
                                                                {&img.ttl, kTtlMap},
                                                                {&img.tcpf, kTcpfMap},
                                                                {&img.itype, kItypeMap},
                                                                {&img.icode, kIcodeMap}};
  for (const auto& [t, id] : smalls) {
    sec(id, static_cast<std::uint32_t>(t->map.size())).bytes(t->map);
    put_rows(sec(id + 1, static_cast<std::uint32_t>(t->rows.size())), t->rows);
  }
  {
    Writer& w = sec(kDsizeBounds, static_cast<std::uint32_t>(img.dsize_bounds.size()));
    for (auto b : img.dsize_bounds) w.u16(b);
  }
  put_rows(sec(kDsizeRows, static_cast<std::uint32_t>(img.dsize_rows.size())), img.dsize_rows);
  {
    Writer& w = sec(kLiterals, static_cast<std::uint32_t>(img.literals.size()));
    std::uint32_t off = 0;
    for (const auto& l : img.literals) {
      w.u16(static_cast<std::uint32_t>(l.bytes.size()));
      w.u8(l.nocase ? 1U : 0U);
      w.u8(0);
      w.u32(off);
      off += static_cast<std::uint32_t>(l.bytes.size());
    }
    Writer& lb = sec(kLitBytes, off);
    for (const auto& l : img.literals) lb.bytes(l.bytes);
  }
  {
    Writer& w = sec(kPieces, static_cast<std::uint32_t>(img.pieces.size()));
    for (auto p : img.pieces) w.u32(p);
  }
  {
    Writer& w = sec(kProgram, static_cast<std::uint32_t>(img.program.size()));
    for (const auto& c : img.program) {
      w.u32(c.pieces_first);
      w.u16(c.npieces);
      w.u16(c.len);
      w.u16(c.flags);
      w.u16(0);
      w.u32(c.offset);
      w.u32(c.depth);
      w.u32(static_cast<std::uint32_t>(c.distance));
      w.u32(c.within);
    }
  }
  Writer out;
  for (auto m : kImageMagic) out.u8(m);
  out.u32(kVersion);
  out.u32(kHeaderSize);
  out.u32(0);  // total size, patched
  out.u32(0);  // crc, patched
  out.u32(static_cast<std::uint32_t>(img.params.size()));
  out.u32(static_cast<std::uint32_t>(secs.size()));
  for (auto p : img.params) out.u32(p);
  std::size_t off = out.b.size() + 16 * secs.size();
  for (std::size_t i = 0; i < secs.size(); ++i) {
    secs[i].second.align();
    out.u32(secs[i].first);
    out.u32(static_cast<std::uint32_t>(off));
    out.u32(static_cast<std::uint32_t>(secs[i].second.b.size()));
    out.u32(counts[i]);
    off += secs[i].second.b.size();
  }
  for (auto& s : secs) out.bytes(s.second.b);
  const auto total = static_cast<std::uint32_t>(out.b.size());
  std::memcpy(&out.b[16], &total, 4);  // little-endian hosts only (static_assert below)
  const std::uint32_t crc = crc32(out.b);
  std::memcpy(&out.b[20], &crc, 4);
  return out.b;
}

static_assert(std::endian::native == std::endian::little, "image encoding assumes little-endian");

const hw::Config* config_of(const Image& img) {
  for (const auto& c : hw::kConfigs) {
    if (c.params() == img.params) return &c;
  }
  return nullptr;
}

bool decode_image(std::span<const std::uint8_t> bytes, const hw::Config* expect, Image& out,
                  std::string& err) {
  out = Image{};
  if (bytes.size() < kHeaderSize) {
    err = "image is truncated: " + std::to_string(bytes.size()) + " bytes, shorter than its header";
    return false;
  }
  if (!std::equal(kImageMagic.begin(), kImageMagic.end(), bytes.begin())) {
    err = "not a dejfa rule image (bad magic)";
    return false;
  }
  auto rd32 = [&](std::size_t at) {
    std::uint32_t v = 0;
    std::memcpy(&v, &bytes[at], 4);
    return v;
  };
  const std::uint32_t version = rd32(8);
  if (version != kVersion) {
    err = "image format version " + std::to_string(version) + ", this build loads version " +
          std::to_string(kVersion);
    return false;
  }
  if (rd32(12) != kHeaderSize) {
    err = "bad header size " + std::to_string(rd32(12));
    return false;
  }
  const std::uint32_t total = rd32(16);
  if (total != bytes.size()) {
    err = "image is " + std::to_string(bytes.size()) + " bytes but its header says " +
          std::to_string(total) + (total > bytes.size() ? " (truncated)" : " (trailing data)");
    return false;
  }
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
  // The fuzz target's own copy of this file skips the CRC (fuzz/CMakeLists.txt), so that the
  // fuzzer reaches the checks behind it; every other build checks it.
  std::vector<std::uint8_t> copy(bytes.begin(), bytes.end());
  std::memset(&copy[20], 0, 4);
  const std::uint32_t want = rd32(20);
  const std::uint32_t got = crc32(copy);
  if (want != got) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "CRC mismatch: header says %08x, contents give %08x", want, got);
    err = buf;
    return false;
  }
#endif
  const std::uint32_t np = rd32(24);
  const std::uint32_t ns = rd32(28);
  if (np != out.params.size()) {
    err = "image has " + std::to_string(np) + " hardware parameters, this build knows " +
          std::to_string(out.params.size());
    return false;
  }
  if (kHeaderSize + 4ULL * np + 16ULL * ns > bytes.size()) {
    err = "section table is truncated";
    return false;
  }
  for (std::size_t i = 0; i < np; ++i) out.params[i] = rd32(kHeaderSize + 4 * i);
  const hw::Config* cfg = config_of(out);
  if (expect != nullptr && out.params != expect->params()) {
    std::string diff;
    const auto e = expect->params();
    for (std::size_t i = 0; i < np; ++i) {
      if (out.params[i] != e[i]) {
        diff += std::string(diff.empty() ? "" : ", ") + std::string(hw::kParamNames[i]) + " " +
                std::to_string(out.params[i]) + " (hardware " + std::to_string(e[i]) + ")";
      }
    }
    err = "image was compiled for " +
          (cfg != nullptr ? "configuration " + std::string(cfg->name) : std::string("other")) +
          " parameters, not for " + std::string(expect->name) + ": " + diff;
    return false;
  }
  if (cfg == nullptr) {
    err = "image parameters match no known configuration";
    return false;
  }
  const std::size_t R = cfg->rules_n;
  const std::size_t W = R / 32;

  struct Span {
    std::span<const std::uint8_t> data;
    std::uint32_t count = 0;
    bool present = false;
  };
  std::array<Span, kSecEnd> secs{};
  for (std::size_t i = 0; i < ns; ++i) {
    const std::size_t t = kHeaderSize + 4 * np + 16 * i;
    const std::uint32_t id = rd32(t);
    const std::uint32_t off = rd32(t + 4);
    const std::uint32_t size = rd32(t + 8);
    if (id == 0 || id >= kSecEnd) {
      err = "unknown section id " + std::to_string(id);
      return false;
    }
    if (secs[id].present) {
      err = std::string("duplicate section ") + sec_name(id);
      return false;
    }
    if (std::uint64_t{off} + size > bytes.size() || off < kHeaderSize + 4 * np + 16 * ns) {
      err = std::string("section ") + sec_name(id) + " lies outside the image";
      return false;
    }
    secs[id] = Span{bytes.subspan(off, size), rd32(t + 12), true};
  }
  for (std::uint32_t id = 1; id < kSecEnd; ++id) {
    if (!secs[id].present) {
      err = std::string("section ") + sec_name(id) + " is missing";
      return false;
    }
  }
  auto size_is = [&](std::uint32_t id, std::size_t want_bytes) {
    const std::size_t padded = (want_bytes + 3) / 4 * 4;
    if (secs[id].data.size() != padded) {
      err = std::string("section ") + sec_name(id) + " has " +
            std::to_string(secs[id].data.size()) + " bytes, " + std::to_string(padded) +
            " expected for " + std::to_string(secs[id].count) + " elements";
      return false;
    }
    return true;
  };
  auto rows = [&](std::uint32_t id, std::size_t nrows, std::vector<Row>& dst) {
    if (!size_is(id, nrows * W * 4)) return false;
    Reader r(secs[id].data, err, sec_name(id));
    dst.assign(nrows, Row(W, 0));
    for (auto& row : dst) {
      for (auto& x : row) x = r.u32();
    }
    return r.ok();
  };
  auto check_limit = [&](std::uint32_t id, std::size_t count, std::size_t limit, const char* p) {
    if (count > limit) {
      err = std::string("section ") + sec_name(id) + " has " + std::to_string(count) +
            " entries, more than " + p + " = " + std::to_string(limit);
      return false;
    }
    return true;
  };

  // Strings first: rules refer to them.
  const auto strings = secs[kStrings].data.first(
      std::min<std::size_t>(secs[kStrings].count, secs[kStrings].data.size()));
  if (secs[kStrings].count > secs[kStrings].data.size() ||
      (!strings.empty() && strings.back() != 0)) {
    err = "section STRINGS is malformed";
    return false;
  }
  auto str = [&](std::uint32_t off, std::string& s) {
    if (off >= strings.size()) {
      err = "string offset " + std::to_string(off) + " beyond STRINGS";
      return false;
    }
    s.assign(reinterpret_cast<const char*>(strings.data() + off));
    return true;
  };

  const std::uint32_t nrules = secs[kRules].count;
  if (!check_limit(kRules, nrules, R, "RULES_N") || !size_is(kRules, nrules * 40ULL)) return false;
  {
    Reader r(secs[kRules].data, err, "RULES");
    for (std::uint32_t i = 0; i < nrules; ++i) {
      ImageRule ir;
      ir.sid = r.u32();
      ir.gid = r.u32();
      ir.rev = r.u32();
      ir.priority = r.u32();
      const std::uint32_t action = r.u8();
      const std::uint32_t flags = r.u8();
      ir.ncontents = static_cast<std::uint16_t>(r.u16());
      ir.prog_first = r.u32();
      const std::uint32_t m = r.u32();
      const std::uint32_t c = r.u32();
      const std::uint32_t s = r.u32();
      r.u32();
      if (!r.ok()) return false;
      if (action > 3 || flags > 1) {
        err = "rule " + std::to_string(i) + ": bad action or flags";
        return false;
      }
      ir.action = static_cast<Action>(action);
      ir.bidirectional = flags != 0;
      if (!str(m, ir.msg) || !str(c, ir.classtype) || !str(s, ir.source)) return false;
      out.rules.push_back(std::move(ir));
    }
  }
  const std::uint32_t naddr = secs[kAddrPrefix].count;
  if (!check_limit(kAddrPrefix, naddr, cfg->addr_n, "ADDR_N") ||
      !size_is(kAddrPrefix, naddr * 20ULL)) {
    return false;
  }
  {
    Reader r(secs[kAddrPrefix].data, err, "ADDR_PREFIX");
    for (std::uint32_t c = 0; c < naddr; ++c) {
      AddrEntry e;
      e.prefix.addr.v6 = r.u8() != 0;
      const auto b = r.bytes(16);
      if (!r.ok()) return false;
      std::copy(b.begin(), b.end(), e.prefix.addr.b.begin());
      e.prefix.len = static_cast<std::uint8_t>(r.u8());
      const std::uint32_t cls = r.u8();
      r.u8();
      if (e.prefix.len == 0 || e.prefix.len > 129 || cls != c ||
          (!e.prefix.addr.v6 && e.prefix.len > 1 && e.prefix.len < 97)) {
        err = "ADDR_PREFIX entry " + std::to_string(c) + " is invalid";
        return false;
      }
      // Host bits beyond the prefix are zero, and entries are longest first: the datapath and
      // the image model take the first entry that contains an address.
      IpPrefix canon = e.prefix;
      for (std::size_t bit = e.prefix.len == 0 ? 0 : e.prefix.len - 1U; bit < 128; ++bit) {
        canon.addr.b[bit / 8] &= static_cast<std::uint8_t>(~(0x80U >> (bit % 8)));
      }
      if (canon != e.prefix || (c > 0 && e.prefix.len > out.addr.back().prefix.len)) {
        err =
            "ADDR_PREFIX entry " + std::to_string(c) +
            (canon != e.prefix ? " has address bits beyond its length"
                               : " is longer than the entry before it (entries are longest first)");
        return false;
      }
      out.addr.push_back(e);
    }
  }
  // Both family roots are entries, so every address has a class (the image model and the
  // datapath index the rows by it).
  for (const bool v6 : {false, true}) {
    const bool root = std::any_of(out.addr.begin(), out.addr.end(), [&](const AddrEntry& e) {
      return e.prefix.len == 1 && e.prefix.addr.v6 == v6;
    });
    if (!root) {
      err = std::string("ADDR_PREFIX lacks the ") + (v6 ? "IPv6" : "IPv4") +
            " family root (every address needs a class)";
      return false;
    }
  }
  if (!rows(kAddrRows, 2ULL * naddr, out.addr_rows)) return false;
  const std::uint32_t npb = secs[kPortBounds].count;
  if (!check_limit(kPortBounds, npb, cfg->portb_n, "PORTB_N") ||
      !size_is(kPortBounds, 2ULL * npb)) {
    return false;
  }
  {
    Reader r(secs[kPortBounds].data, err, "PORT_BOUNDS");
    for (std::uint32_t i = 0; i < npb; ++i)
      out.port_bounds.push_back(static_cast<std::uint16_t>(r.u16()));
    if (!std::is_sorted(out.port_bounds.begin(), out.port_bounds.end()) ||
        std::adjacent_find(out.port_bounds.begin(), out.port_bounds.end()) !=
            out.port_bounds.end()) {
      err = "PORT_BOUNDS are not strictly ascending";
      return false;
    }
  }
  if (!rows(kPortRows, 2ULL * (npb + 2), out.port_rows)) return false;
  const std::tuple<ClassTable*, std::uint32_t, std::size_t> smalls[] = {
      {&out.proto, kProtoMap, kProtoKeys},
      {&out.ttl, kTtlMap, kTtlKeys},
      {&out.tcpf, kTcpfMap, kFlagKeys},
      {&out.itype, kItypeMap, kFlagKeys},
      {&out.icode, kIcodeMap, kFlagKeys}};
  for (const auto& [t, id, keys] : smalls) {
    if (secs[id].count != keys) {  // found by fuzz_image once the CRC no longer stopped it
      err = std::string("section ") + sec_name(id) + " has " + std::to_string(secs[id].count) +
            " entries, the map has " + std::to_string(keys);
      return false;
    }
    if (!size_is(id, keys)) return false;
    t->map.assign(secs[id].data.begin(), secs[id].data.begin() + static_cast<long>(keys));
    const std::uint32_t ncls = secs[id + 1].count;
    if (!check_limit(id + 1, ncls, cfg->cls_n, "CLS_N") || !rows(id + 1, ncls, t->rows))
      return false;
    for (auto c : t->map) {
      if (c >= ncls) {
        err = std::string(sec_name(id)) + " names class " + std::to_string(c) + " of " +
              std::to_string(ncls);
        return false;
      }
    }
  }
  const std::uint32_t ndb = secs[kDsizeBounds].count;
  if (!check_limit(kDsizeBounds, ndb, cfg->dsizeb_n, "DSIZEB_N") ||
      !size_is(kDsizeBounds, 2ULL * ndb)) {
    return false;
  }
  {
    Reader r(secs[kDsizeBounds].data, err, "DSIZE_BOUNDS");
    for (std::uint32_t i = 0; i < ndb; ++i)
      out.dsize_bounds.push_back(static_cast<std::uint16_t>(r.u16()));
    if (!std::is_sorted(out.dsize_bounds.begin(), out.dsize_bounds.end()) ||
        std::adjacent_find(out.dsize_bounds.begin(), out.dsize_bounds.end()) !=
            out.dsize_bounds.end()) {
      err = "DSIZE_BOUNDS are not strictly ascending";
      return false;
    }
  }
  if (!rows(kDsizeRows, ndb + 2ULL, out.dsize_rows)) return false;
  const std::uint32_t nlit = secs[kLiterals].count;
  const std::uint32_t nlb = secs[kLitBytes].count;
  if (!check_limit(kLiterals, nlit, cfg->lits_n, "LITS_N") || !size_is(kLiterals, 8ULL * nlit) ||
      !check_limit(kLitBytes, nlb, cfg->litb_n, "LITB_N") || !size_is(kLitBytes, nlb)) {
    return false;
  }
  {
    Reader r(secs[kLiterals].data, err, "LITERALS");
    for (std::uint32_t i = 0; i < nlit; ++i) {
      const std::uint32_t len = r.u16();
      const std::uint32_t fl = r.u8();
      r.u8();
      const std::uint32_t off = r.u32();
      if (!r.ok()) return false;
      if (len == 0 || len > cfg->lit_max_b || std::uint64_t{off} + len > nlb || fl > 1) {
        err = "literal " + std::to_string(i) + " is invalid";
        return false;
      }
      out.literals.push_back(ImageLiteral{
          {secs[kLitBytes].data.begin() + off, secs[kLitBytes].data.begin() + off + len}, fl != 0});
    }
  }
  const std::uint32_t npieces = secs[kPieces].count;
  if (!size_is(kPieces, 4ULL * npieces)) return false;
  {
    Reader r(secs[kPieces].data, err, "PIECES");
    for (std::uint32_t i = 0; i < npieces; ++i) {
      const std::uint32_t id = r.u32();
      if (id >= nlit) {
        err = "piece " + std::to_string(i) + " names literal " + std::to_string(id) + " of " +
              std::to_string(nlit);
        return false;
      }
      out.pieces.push_back(id);
    }
  }
  const std::uint32_t nprog = secs[kProgram].count;
  if (!check_limit(kProgram, nprog, cfg->cprog_n, "CPROG_N") || !size_is(kProgram, 28ULL * nprog)) {
    return false;
  }
  {
    Reader r(secs[kProgram].data, err, "PROGRAM");
    for (std::uint32_t i = 0; i < nprog; ++i) {
      ImageContent c;
      c.pieces_first = r.u32();
      c.npieces = static_cast<std::uint16_t>(r.u16());
      c.len = static_cast<std::uint16_t>(r.u16());
      c.flags = static_cast<std::uint16_t>(r.u16());
      r.u16();
      c.offset = r.u32();
      c.depth = r.u32();
      c.distance = static_cast<std::int32_t>(r.u32());
      c.within = r.u32();
      if (!r.ok()) return false;
      std::size_t sum = 0;
      bool pieces_ok = c.npieces != 0 && std::uint64_t{c.pieces_first} + c.npieces <= npieces;
      for (std::size_t j = 0; pieces_ok && j < c.npieces; ++j) {
        const auto& lit = out.literals[out.pieces[c.pieces_first + j]];
        sum += lit.bytes.size();
        if (j + 1 < c.npieces && lit.bytes.size() != cfg->lit_max_b) pieces_ok = false;
        // The hardware addresses piece j as literal (first + j), all with one nocase.
        if (out.pieces[c.pieces_first + j] != out.pieces[c.pieces_first] + j) pieces_ok = false;
        if (lit.nocase != out.literals[out.pieces[c.pieces_first]].nocase) pieces_ok = false;
      }
      // Field widths of the hardware's PROG entry (docs/IMAGE.md).
      const bool fits = c.offset <= 0xFFFF && c.depth <= 0xFFFF && c.within <= 0xFFFF &&
                        c.distance >= -0xFFFF && c.distance <= 0xFFFF;
      if (!pieces_ok || !fits || sum != c.len || c.flags > 31) {
        err = "content program entry " + std::to_string(i) + " is invalid";
        return false;
      }
      out.program.push_back(c);
    }
  }
  for (std::size_t i = 0; i < out.rules.size(); ++i) {
    const auto& r = out.rules[i];
    if (r.ncontents > cfg->cont_n) {
      err = "rule " + std::to_string(i) + " (sid " + std::to_string(r.sid) + ") has " +
            std::to_string(r.ncontents) + " contents, beyond CONT_N";
      return false;
    }
    if (std::uint64_t{r.prog_first} + r.ncontents > nprog) {
      err = "rule " + std::to_string(i) + " (sid " + std::to_string(r.sid) +
            ") refers to content program entries beyond PROGRAM";
      return false;
    }
  }
  // Canonical form: reserved fields and padding zero, strings shared and in first-use order,
  // sections in their order. Anything else did not come from the compiler (found by fuzzing).
  if (encode(out) != std::vector<std::uint8_t>(bytes.begin(), bytes.end())) {
    err =
        "image is not in canonical form (reserved fields, padding, string table or section "
        "order differ from what dejfa compile writes)";
    out = Image{};
    return false;
  }
  return true;
}

namespace {
std::string row_rules(const Row& row, const Image& img) {
  std::string s;
  std::size_t count = 0;
  for (std::size_t i = 0; i < img.rules.size(); ++i) {
    if (((row[i / 32] >> (i % 32)) & 1U) == 0) continue;
    if (++count <= 12) s += (s.empty() ? "" : ",") + std::to_string(img.rules[i].sid);
  }
  if (count == img.rules.size() && count != 0) return "all";
  if (count == 0) return "none";
  if (count > 12) s += ",... (" + std::to_string(count) + " rules)";
  return "sid " + s;
}

void dump_small(std::string& s, const char* name, const ClassTable& t, const Image& img,
                const char* keyfmt) {
  s += std::string(name) + ": " + std::to_string(t.rows.size()) + " classes\n";
  for (std::size_t c = 0; c < t.rows.size(); ++c) {
    std::string keys;
    std::size_t k = 0;
    std::size_t shown = 0;
    while (k < t.map.size()) {
      if (t.map[k] != c) {
        ++k;
        continue;
      }
      std::size_t e = k;
      while (e + 1 < t.map.size() && t.map[e + 1] == c) ++e;
      if (shown++ < 6) {
        char buf[48];
        if (e == k) {
          std::snprintf(buf, sizeof buf, keyfmt, k);
        } else {
          char a[20];
          char b[20];
          std::snprintf(a, sizeof a, keyfmt, k);
          std::snprintf(b, sizeof b, keyfmt, e);
          std::snprintf(buf, sizeof buf, "%s-%s", a, b);
        }
        keys += (keys.empty() ? "" : " ") + std::string(buf);
      }
      k = e + 1;
    }
    if (shown > 6) keys += " ...";
    s += "  (" + std::to_string(c) + ") keys " + keys + " -> " + row_rules(t.rows[c], img) + "\n";
  }
}
}  // namespace

std::string dump(const Image& img) {
  std::string s;
  const hw::Config* cfg = config_of(img);
  s += "image format " + std::to_string(kVersion) + ", configuration " +
       (cfg != nullptr ? std::string(cfg->name) : "?") + "\n";
  s += "rules: " + std::to_string(img.rules.size()) + "\n";
  for (std::size_t i = 0; i < img.rules.size(); ++i) {
    const auto& r = img.rules[i];
    s += "  [" + std::to_string(i) + "] " + action_name(r.action) + " sid " +
         std::to_string(r.gid) + ":" + std::to_string(r.sid) + ":" + std::to_string(r.rev) +
         (r.bidirectional ? " <>" : "") + " contents " + std::to_string(r.ncontents) + " @" +
         std::to_string(r.prog_first) + "  \"" + r.msg + "\"  (" + r.source + ")\n";
  }
  s += "address prefixes (longest first; class = entry):\n";
  for (std::size_t c = 0; c < img.addr.size(); ++c) {
    const auto& p = img.addr[c].prefix;
    const std::string name = p.len == 1 ? (p.addr.v6 ? "ipv6 (root)" : "ipv4 (root)") : p.str();
    s += "  (" + std::to_string(c) + ") " + name + "  src -> " +
         row_rules(img.addr_rows[2 * c], img) + "; dst -> " +
         row_rules(img.addr_rows[2 * c + 1], img) + "\n";
  }
  s += "ports: " + std::to_string(img.port_bounds.size()) + " boundaries\n";
  for (std::size_t c = 0; 2 * c < img.port_rows.size(); ++c) {
    std::string range;
    if (c == 0) {
      range = "no ports";
    } else {
      const std::uint32_t lo = c == 1 ? 0 : img.port_bounds[c - 2];
      const std::uint32_t hi =
          c - 1 < img.port_bounds.size() ? img.port_bounds[c - 1] - 1U : 65535U;
      range = std::to_string(lo) + (hi != lo ? ":" + std::to_string(hi) : "");
    }
    s += "  (" + std::to_string(c) + ") " + range + "  sport -> " +
         row_rules(img.port_rows[2 * c], img) + "; dport -> " +
         row_rules(img.port_rows[2 * c + 1], img) + "\n";
  }
  dump_small(s, "protocol {v6,l4,proto}", img.proto, img, "%03zx");
  dump_small(s, "ttl", img.ttl, img, "%zu");
  dump_small(s, "tcp flags {tcp,flags}", img.tcpf, img, "%03zx");
  dump_small(s, "icmp type {icmp,type}", img.itype, img, "%03zx");
  dump_small(s, "icmp code {icmp,code}", img.icode, img, "%03zx");
  s += "payload size: " + std::to_string(img.dsize_bounds.size()) + " boundaries\n";
  for (std::size_t c = 0; c < img.dsize_rows.size(); ++c) {
    std::string range;
    if (c == 0) {
      range = "unknown";
    } else {
      const std::uint32_t lo = c == 1 ? 0 : img.dsize_bounds[c - 2];
      const std::uint32_t hi =
          c - 1 < img.dsize_bounds.size() ? img.dsize_bounds[c - 1] - 1U : 65535U;
      range = std::to_string(lo) + (hi != lo ? ".." + std::to_string(hi) : "");
    }
    s += "  (" + std::to_string(c) + ") " + range + " -> " + row_rules(img.dsize_rows[c], img) +
         "\n";
  }
  s += "literals: " + std::to_string(img.literals.size()) + "\n";
  for (std::size_t i = 0; i < img.literals.size(); ++i) {
    Content c;
    c.bytes = img.literals[i].bytes;
    s += "  L" + std::to_string(i) + " \"" + c.pattern_str() + "\"" +
         (img.literals[i].nocase ? " nocase" : "") + "\n";
  }
  s += "content programs: " + std::to_string(img.program.size()) + " entries\n";
  for (std::size_t i = 0; i < img.program.size(); ++i) {
    const auto& c = img.program[i];
    std::string pieces;
    for (std::size_t j = 0; j < c.npieces; ++j) {
      pieces += (j == 0 ? "L" : "+L") + std::to_string(img.pieces[c.pieces_first + j]);
    }
    s += "  P" + std::to_string(i) + " " + ((c.flags & ImageContent::kNegated) != 0 ? "!" : "") +
         pieces + " len " + std::to_string(c.len);
    if ((c.flags & ImageContent::kOffset) != 0) s += " offset " + std::to_string(c.offset);
    if ((c.flags & ImageContent::kDepth) != 0) s += " depth " + std::to_string(c.depth);
    if ((c.flags & ImageContent::kDistance) != 0) s += " distance " + std::to_string(c.distance);
    if ((c.flags & ImageContent::kWithin) != 0) s += " within " + std::to_string(c.within);
    s += "\n";
  }
  return s;
}

}  // namespace dejfa
