// SPDX-License-Identifier: Apache-2.0
//
// dejfa simcard: a virtual card. The Verilated core runs with traffic from a capture while its
// register port answers `--device sim:SOCKET` clients (dejfa load, counters, rule, info), so the
// card commands can be tried, scripted and tested against the real RTL with packets flowing.
// Several clients may be connected; one request is served at a time, between clock cycles; each
// access runs the clock as the AXI4-Lite transaction takes it, so the traffic keeps moving under
// register traffic.

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <optional>
#include <vector>

#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "cli.hpp"
#include "dejfa/pcapio.hpp"
#include "dejfa/sim/core.hpp"
#include "sim_engine.hpp"

namespace dejfa::cli {

namespace {

volatile std::sig_atomic_t g_stop = 0;

void on_signal(int /*sig*/) { g_stop = 1; }

bool read_full(int fd, unsigned char* p, std::size_t n) {
  for (std::size_t done = 0; done < n;) {
    const ssize_t r = ::recv(fd, p + done, n - done, 0);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    done += static_cast<std::size_t>(r);
  }
  return true;
}

bool write_full(int fd, const unsigned char* p, std::size_t n) {
  for (std::size_t done = 0; done < n;) {
    const ssize_t r = ::send(fd, p + done, n - done, MSG_NOSIGNAL);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    done += static_cast<std::size_t>(r);
  }
  return true;
}

}  // namespace

namespace {

// cmd_simcard's steps, in order; a step returns std::nullopt to go on, or the exit code to stop
// with (its message written).
using Step = std::optional<int>;

/// The command line.
struct CardArgs {
  std::string config = "100g", socket_path, pcap;  // the cards' configuration, as compile's
  std::uint64_t loops = 1;
  bool after_load = false;
  unsigned in_bubbles = 0, out_busy = 0;
  std::uint64_t seed = 1;
  const hw::Config* cfg = nullptr;
};

Step card_args(std::span<const std::string> args, CardArgs& a) {
  po::options_description opts(
      "dejfa simcard --socket PATH [--pcap FILE]: run the Verilated core as a virtual card; "
      "the card commands reach it with --device sim:PATH");
  opts.add_options()("help,h", "show this help")(
      "config,c", po::value(&a.config)->default_value(a.config), "hardware configuration")(
      "socket,s", po::value(&a.socket_path), "Unix socket to serve register accesses on")(
      "pcap,r", po::value(&a.pcap), "capture whose frames run through the core, back to back")(
      "loops", po::value(&a.loops)->default_value(a.loops),
      "replay the capture this many times (0: until stopped)")(
      "after-load", po::bool_switch(&a.after_load),
      "hold the traffic until rules are loaded and judging (IMAGE_TAG set, CONTROL.ENABLE=1)")(
      "in-bubbles", po::value(&a.in_bubbles)->default_value(0), "% of cycles s_axis is idle")(
      "out-busy", po::value(&a.out_busy)->default_value(0), "% of cycles m_axis is not ready")(
      "seed", po::value(&a.seed)->default_value(a.seed), "seed of the bubbles");
  const auto vm = parse_args(args, opts);
  if (vm.count("help") != 0U) {
    std::cout << opts;
    return kExitOk;
  }
  a.cfg = find_config(a.config);
  if (a.cfg == nullptr) {
    std::cerr << "dejfa simcard: unknown configuration '" << a.config << "'\n";
    return kExitUsage;
  }
  if (a.socket_path.empty()) {
    std::cerr << "dejfa simcard: --socket PATH is required\n";
    return kExitUsage;
  }
  return std::nullopt;
}

/// The capture's frames the core takes (up to kFrameMaxB bytes), none without --pcap.
Step card_frames(const std::string& pcap, std::vector<CapturedFrame>& frames) {
  if (pcap.empty()) return std::nullopt;
  PcapReader rd;
  std::string err;
  if (!rd.open(pcap, err)) {
    std::cerr << "dejfa simcard: " << err << "\n";
    return kExitIo;
  }
  for (CapturedFrame cf; rd.next(cf);) {
    if (cf.frame.size() <= kFrameMaxB) frames.push_back(std::move(cf));
  }
  if (!rd.error().empty()) {
    std::cerr << "dejfa simcard: " << rd.error() << "\n";
    return kExitIo;
  }
  return std::nullopt;
}

/// A listening socket at `path`. A socket left by an earlier simcard is replaced; anything
/// else at that path is not ours to remove.
Step card_listen(const std::string& path, int& lfd) {
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  if (path.size() >= sizeof a.sun_path) {
    std::cerr << "dejfa simcard: socket path too long\n";
    return kExitUsage;
  }
  std::memcpy(a.sun_path, path.c_str(), path.size() + 1);
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) {
      std::cerr << "dejfa simcard: " << path << " exists and is not a socket; not removing it\n";
      return kExitIo;
    }
    ::unlink(path.c_str());
  }
  lfd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (lfd < 0 || ::bind(lfd, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0 ||
      ::listen(lfd, 8) != 0) {
    std::cerr << "dejfa simcard: cannot listen on " << path << ": " << std::strerror(errno) << "\n";
    return kExitIo;
  }
  return std::nullopt;
}

/// The card while it runs: the core, its traffic and its register clients. Several clients at
/// once, as a card's BAR serves every process that maps it: one `counters --watch` and the
/// `load` or `rule` commands beside it. Each 12-byte request is one register access, done whole
/// before the next.
class Card {
 public:
  Card(const CardArgs& a, sim::CoreSim& core, const std::vector<CapturedFrame>& frames)
      : a_(a), core_(core), frames_(frames), traffic_(!a.after_load) {}

  /// Serves the clients on `lfd` and feeds the traffic until SIGINT or SIGTERM.
  void run(int lfd) {
    while (g_stop == 0) {
      if (traffic_) feed();
      const bool busy = traffic_ && (more() || !core_.input_idle() || !core_.meta().empty());
      std::vector<pollfd> p{{lfd, POLLIN, 0}};
      for (const int c : clients_) p.push_back({c, POLLIN, 0});
      const int n = ::poll(p.data(), p.size(), busy ? 0 : 200);
      if (n < 0 && errno != EINTR) break;
      bool closed = false;
      for (std::size_t i = 1; n > 0 && i < p.size(); ++i) {
        if ((p[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
        if (!serve(p[i].fd)) {
          ::close(p[i].fd);
          clients_.erase(std::find(clients_.begin(), clients_.end(), p[i].fd));
          closed = true;
        }
      }
      if (n > 0 && (p[0].revents & POLLIN) != 0) {
        const int c = ::accept4(lfd, nullptr, nullptr, SOCK_CLOEXEC);
        if (c >= 0) clients_.push_back(c);
      }
      if (closed && !traffic_) {
        traffic_ = core_.bus().read32(hw::reg::IMAGE_TAG) != 0 &&
                   (core_.bus().read32(hw::reg::CONTROL) & hw::field::CONTROL_ENABLE_MASK) != 0;
        if (traffic_) std::cerr << "dejfa simcard: rules loaded, traffic starts\n";
      }
      if (busy) {
        for (int i = 0; i < 64; ++i) core_.step();
      }
      left_ += core_.out().size();
      core_.out().clear();
      core_.meta().clear();
    }
    for (const int c : clients_) ::close(c);
  }
  [[nodiscard]] std::uint64_t sent() const { return sent_; }
  [[nodiscard]] std::uint64_t left() const { return left_; }

 private:
  [[nodiscard]] bool more() const {
    return !frames_.empty() && (a_.loops == 0 || loop_ < a_.loops);
  }
  /// Keeps the input fed at line rate while there is traffic to send.
  void feed() {
    while (more() && core_.input_pending() < 2) {
      core_.push(frames_[next_].frame, sent_);
      ++sent_;
      if (++next_ == frames_.size()) {
        next_ = 0;
        ++loop_;
      }
    }
  }
  /// One request from client `fd`; false when the client is gone or broke the protocol.
  bool serve(int fd) {
    unsigned char req[12];
    if (!read_full(fd, req, sizeof req)) return false;
    std::uint32_t w[3];
    for (int i = 0; i < 3; ++i) {
      w[i] = 0;
      for (int b = 3; b >= 0; --b) w[i] = (w[i] << 8) | req[4 * i + b];
    }
    std::uint32_t v = 0;
    try {
      if (w[0] == 0)
        v = core_.bus().read32(w[1]);
      else
        core_.bus().write32(w[1], w[2]);
    } catch (const std::exception& e) {
      std::cerr << "dejfa simcard: " << e.what() << "\n";
      return false;
    }
    unsigned char rep[4];
    for (int b = 0; b < 4; ++b) rep[b] = static_cast<unsigned char>(v >> (8 * b));
    return write_full(fd, rep, sizeof rep);
  }

  const CardArgs& a_;
  sim::CoreSim& core_;
  const std::vector<CapturedFrame>& frames_;
  bool traffic_;
  std::vector<int> clients_;
  std::size_t next_ = 0;
  std::uint64_t loop_ = 0, sent_ = 0, left_ = 0;
};

}  // namespace

int cmd_simcard(std::span<const std::string> args) {
  CardArgs a;
  if (const Step s = card_args(args, a)) return *s;
  std::vector<CapturedFrame> frames;
  if (const Step s = card_frames(a.pcap, frames)) return *s;
  sim::CoreOptions co;
  co.seed = a.seed;
  co.in_bubble_pct = a.in_bubbles;
  co.out_busy_pct = a.out_busy;
  co.max_cycles = ~std::uint64_t{0};
  auto core = sim::CoreSim::create(*a.cfg, co);
  core->reset();
  int lfd = -1;
  if (const Step s = card_listen(a.socket_path, lfd)) return *s;
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  std::cerr << "dejfa simcard: " << a.cfg->name << " core on " << a.socket_path
            << " (--device sim:" << a.socket_path << "), " << frames.size() << " frames"
            << (frames.empty() ? ""
                : a.loops == 0 ? ", replayed until stopped"
                               : " x " + std::to_string(a.loops))
            << (a.after_load ? ", held until rules are loaded" : "") << "\n";
  Card card(a, *core, frames);
  card.run(lfd);
  ::close(lfd);
  ::unlink(a.socket_path.c_str());
  std::cerr << "dejfa simcard: stopped after " << core->cycles() << " cycles, " << card.sent()
            << " frames in, " << card.left() << " out\n";
  return kExitOk;
}

}  // namespace dejfa::cli
