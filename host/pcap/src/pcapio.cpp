// SPDX-License-Identifier: Apache-2.0
#include "dejfa/pcapio.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include <pcap/pcap.h>

namespace dejfa {

namespace {

// Link types (pcap-linktype(7)); numeric so the code does not depend on header versions.
constexpr int kEn10mb = 1;
constexpr int kNull = 0;
constexpr int kRaw = 101;
constexpr int kRawAlt12 = 12;
constexpr int kRawAlt14 = 14;
constexpr int kLoop = 108;
constexpr int kSll = 113;
constexpr int kIpv4 = 228;
constexpr int kIpv6 = 229;
constexpr int kSll2 = 276;

void eth_header(std::vector<std::uint8_t>& f, std::uint16_t ethertype) {
  static constexpr std::uint8_t kMacs[12] = {0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01};
  f.assign(kMacs, kMacs + 12);
  f.push_back(static_cast<std::uint8_t>(ethertype >> 8));
  f.push_back(static_cast<std::uint8_t>(ethertype));
}

std::uint16_t ip_ethertype(const std::uint8_t* p, std::size_t n) {
  if (n == 0) return 0x0800;
  return (p[0] >> 4) == 6 ? 0x86DD : 0x0800;
}

}  // namespace

struct PcapReader::Impl {
  pcap_t* p = nullptr;
  int dlt = 0;
  bool nano = false;
  ~Impl() {
    if (p != nullptr) pcap_close(p);
  }
};

std::vector<std::string> capture_files(const std::string& path) {
  std::vector<std::string> files;
  if (!std::filesystem::is_directory(path)) return {path};
  for (const auto& e : std::filesystem::recursive_directory_iterator(path)) {
    const auto ext = e.path().extension();
    if (e.is_regular_file() && (ext == ".pcap" || ext == ".pcapng")) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

PcapReader::PcapReader() = default;
PcapReader::~PcapReader() = default;
PcapReader::PcapReader(PcapReader&&) noexcept = default;
PcapReader& PcapReader::operator=(PcapReader&&) noexcept = default;

bool PcapReader::open(const std::string& path, std::string& err) {
  char eb[PCAP_ERRBUF_SIZE] = {};
  auto impl = std::make_unique<Impl>();
  impl->p = pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_NANO, eb);
  if (impl->p == nullptr) {
    err = path + ": " + eb;
    return false;
  }
  impl->nano = pcap_get_tstamp_precision(impl->p) == PCAP_TSTAMP_PRECISION_NANO;
  impl->dlt = pcap_datalink(impl->p);
  switch (impl->dlt) {
    case kEn10mb:
    case kNull:
    case kLoop:
    case kRaw:
    case kRawAlt12:
    case kRawAlt14:
    case kIpv4:
    case kIpv6:
    case kSll:
    case kSll2:
      break;
    default: {
      const char* name = pcap_datalink_val_to_name(impl->dlt);
      err = path + ": link type " + std::to_string(impl->dlt) + " (" +
            (name != nullptr ? name : "unknown") +
            ") is not supported; use Ethernet, raw IP, loopback or Linux cooked captures";
      return false;
    }
  }
  impl_ = std::move(impl);
  return true;
}

int PcapReader::linktype() const { return impl_ ? impl_->dlt : -1; }

bool PcapReader::next(CapturedFrame& out) {
  if (!impl_) return false;
  pcap_pkthdr* h = nullptr;
  const u_char* d = nullptr;
  while (true) {
    const int rc = pcap_next_ex(impl_->p, &h, &d);
    if (rc == PCAP_ERROR_BREAK) return false;
    if (rc != 1) {
      err_ = pcap_geterr(impl_->p);
      return false;
    }
    out.ts_ns = static_cast<std::uint64_t>(h->ts.tv_sec) * 1'000'000'000ULL +
                static_cast<std::uint64_t>(h->ts.tv_usec) * (impl_->nano ? 1ULL : 1000ULL);
    out.orig_len = h->len;
    out.caplen = h->caplen;
    out.raw.assign(d, d + h->caplen);
    const std::uint8_t* p = d;
    const std::size_t n = h->caplen;
    switch (impl_->dlt) {
      case kEn10mb:
        out.frame = out.raw;
        return true;
      case kRaw:
      case kRawAlt12:
      case kRawAlt14:
      case kIpv4:
      case kIpv6:
        eth_header(out.frame, ip_ethertype(p, n));
        out.frame.insert(out.frame.end(), p, p + n);
        return true;
      case kNull:
      case kLoop: {
        if (n < 4) continue;  // not even the family word: nothing to judge
        eth_header(out.frame, ip_ethertype(p + 4, n - 4));
        out.frame.insert(out.frame.end(), p + 4, p + n);
        return true;
      }
      case kSll: {
        if (n < 16) continue;
        eth_header(out.frame, static_cast<std::uint16_t>((p[14] << 8) | p[15]));
        out.frame.insert(out.frame.end(), p + 16, p + n);
        return true;
      }
      case kSll2: {
        if (n < 20) continue;
        eth_header(out.frame, static_cast<std::uint16_t>((p[0] << 8) | p[1]));
        out.frame.insert(out.frame.end(), p + 20, p + n);
        return true;
      }
      default:
        return false;
    }
  }
}

struct PcapWriter::Impl {
  pcap_t* p = nullptr;
  pcap_dumper_t* d = nullptr;
  ~Impl() {
    if (d != nullptr) pcap_dump_close(d);
    if (p != nullptr) pcap_close(p);
  }
};

PcapWriter::PcapWriter() = default;
PcapWriter::~PcapWriter() = default;

bool PcapWriter::open(const std::string& path, std::string& err, int linktype) {
  auto impl = std::make_unique<Impl>();
  impl->p = pcap_open_dead_with_tstamp_precision(linktype, 262144, PCAP_TSTAMP_PRECISION_NANO);
  if (impl->p == nullptr) {
    err = "pcap_open_dead failed";
    return false;
  }
  impl->d = pcap_dump_open(impl->p, path.c_str());
  if (impl->d == nullptr) {
    err = path + ": " + pcap_geterr(impl->p);
    return false;
  }
  impl_ = std::move(impl);
  path_ = path;
  err_.clear();
  return true;
}

bool PcapWriter::write(std::uint64_t ts_ns, const std::uint8_t* data, std::uint32_t caplen,
                       std::uint32_t orig_len) {
  if (!impl_) return false;
  pcap_pkthdr h{};
  h.ts.tv_sec = static_cast<time_t>(ts_ns / 1'000'000'000ULL);
  h.ts.tv_usec = static_cast<suseconds_t>(ts_ns % 1'000'000'000ULL);  // nanoseconds here
  h.caplen = caplen;
  h.len = orig_len;
  pcap_dump(reinterpret_cast<u_char*>(impl_->d), &h, data);
  // pcap_dump reports nothing; its stdio stream keeps the error.
  if (std::ferror(pcap_dump_file(impl_->d)) != 0) {
    if (err_.empty()) err_ = path_ + ": " + std::strerror(errno);
    return false;
  }
  return true;
}

bool PcapWriter::close() {
  if (!impl_) return err_.empty();
  FILE* f = pcap_dump_file(impl_->d);
  const bool flushed = pcap_dump_flush(impl_->d) == 0 && std::ferror(f) == 0;
  if (!flushed && err_.empty()) err_ = path_ + ": " + std::strerror(errno);
  // A pcap_dumper_t is its stdio stream, and pcap_dump_close only fcloses it, ignoring the result;
  // closed here instead, so an error only the close reports (a delayed write on a network file
  // system) fails the output too.
  impl_->d = nullptr;
  if (std::fclose(f) != 0 && err_.empty()) err_ = path_ + ": " + std::strerror(errno);
  impl_.reset();
  return err_.empty();
}

}  // namespace dejfa
