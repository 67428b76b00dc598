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

int cmd_simcard(std::span<const std::string> args) {
  std::string config = "100g", socket_path, pcap;  // the cards' configuration, as compile's
  std::uint64_t loops = 1;
  bool after_load = false;
  unsigned in_bubbles = 0, out_busy = 0;
  std::uint64_t seed = 1;
  po::options_description opts(
      "dejfa simcard --socket PATH [--pcap FILE]: run the Verilated core as a virtual card; "
      "the card commands reach it with --device sim:PATH");
  opts.add_options()("help,h", "show this help")(
      "config,c", po::value(&config)->default_value(config), "hardware configuration")(
      "socket,s", po::value(&socket_path), "Unix socket to serve register accesses on")(
      "pcap,r", po::value(&pcap), "capture whose frames run through the core, back to back")(
      "loops", po::value(&loops)->default_value(loops),
      "replay the capture this many times (0: until stopped)")(
      "after-load", po::bool_switch(&after_load),
      "hold the traffic until rules are loaded and judging (IMAGE_TAG set, CONTROL.ENABLE=1)")(
      "in-bubbles", po::value(&in_bubbles)->default_value(0), "% of cycles s_axis is idle")(
      "out-busy", po::value(&out_busy)->default_value(0), "% of cycles m_axis is not ready")(
      "seed", po::value(&seed)->default_value(seed), "seed of the bubbles");
  const auto vm = parse_args(args, opts);
  if (vm.count("help") != 0U) {
    std::cout << opts;
    return kExitOk;
  }
  const hw::Config* cfg = find_config(config);
  if (cfg == nullptr) {
    std::cerr << "dejfa simcard: unknown configuration '" << config << "'\n";
    return kExitUsage;
  }
  if (socket_path.empty()) {
    std::cerr << "dejfa simcard: --socket PATH is required\n";
    return kExitUsage;
  }
  std::vector<CapturedFrame> frames;
  if (!pcap.empty()) {
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
  }
  sim::CoreOptions co;
  co.seed = seed;
  co.in_bubble_pct = in_bubbles;
  co.out_busy_pct = out_busy;
  co.max_cycles = ~std::uint64_t{0};
  auto core = sim::CoreSim::create(*cfg, co);
  core->reset();

  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  if (socket_path.size() >= sizeof a.sun_path) {
    std::cerr << "dejfa simcard: socket path too long\n";
    return kExitUsage;
  }
  std::memcpy(a.sun_path, socket_path.c_str(), socket_path.size() + 1);
  // A socket left by an earlier simcard is replaced; anything else at that path is not ours to
  // remove.
  struct stat st {};
  if (::lstat(socket_path.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) {
      std::cerr << "dejfa simcard: " << socket_path
                << " exists and is not a socket; not removing it\n";
      return kExitIo;
    }
    ::unlink(socket_path.c_str());
  }
  const int lfd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (lfd < 0 || ::bind(lfd, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0 ||
      ::listen(lfd, 8) != 0) {
    std::cerr << "dejfa simcard: cannot listen on " << socket_path << ": " << std::strerror(errno)
              << "\n";
    return kExitIo;
  }
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  std::cerr << "dejfa simcard: " << cfg->name << " core on " << socket_path
            << " (--device sim:" << socket_path << "), " << frames.size() << " frames"
            << (frames.empty() ? ""
                : loops == 0   ? ", replayed until stopped"
                               : " x " + std::to_string(loops))
            << (after_load ? ", held until rules are loaded" : "") << "\n";

  // Several clients at once, as a card's BAR serves every process that maps it: one
  // `counters --watch` and the `load` or `rule` commands beside it. Each 12-byte request is one
  // register access, done whole before the next.
  std::vector<int> clients;
  bool traffic = !after_load;
  std::size_t next = 0;
  std::uint64_t loop = 0, sent = 0, left = 0;
  const auto more = [&] { return !frames.empty() && (loops == 0 || loop < loops); };
  // One request from client `fd`; false when the client is gone or broke the protocol.
  const auto serve = [&](int fd) {
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
        v = core->bus().read32(w[1]);
      else
        core->bus().write32(w[1], w[2]);
    } catch (const std::exception& e) {
      std::cerr << "dejfa simcard: " << e.what() << "\n";
      return false;
    }
    unsigned char rep[4];
    for (int b = 0; b < 4; ++b) rep[b] = static_cast<unsigned char>(v >> (8 * b));
    return write_full(fd, rep, sizeof rep);
  };
  while (g_stop == 0) {
    // Keep the input fed at line rate while there is traffic to send.
    if (traffic) {
      while (more() && core->input_pending() < 2) {
        core->push(frames[next].frame, sent);
        ++sent;
        if (++next == frames.size()) {
          next = 0;
          ++loop;
        }
      }
    }
    const bool busy = traffic && (more() || !core->input_idle() || !core->meta().empty());
    std::vector<pollfd> p{{lfd, POLLIN, 0}};
    for (const int c : clients) p.push_back({c, POLLIN, 0});
    const int n = ::poll(p.data(), p.size(), busy ? 0 : 200);
    if (n < 0 && errno != EINTR) break;
    bool closed = false;
    for (std::size_t i = 1; n > 0 && i < p.size(); ++i) {
      if ((p[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      if (!serve(p[i].fd)) {
        ::close(p[i].fd);
        clients.erase(std::find(clients.begin(), clients.end(), p[i].fd));
        closed = true;
      }
    }
    if (n > 0 && (p[0].revents & POLLIN) != 0) {
      const int c = ::accept4(lfd, nullptr, nullptr, SOCK_CLOEXEC);
      if (c >= 0) clients.push_back(c);
    }
    if (closed && !traffic) {
      traffic = core->bus().read32(hw::reg::IMAGE_TAG) != 0 &&
                (core->bus().read32(hw::reg::CONTROL) & hw::field::CONTROL_ENABLE_MASK) != 0;
      if (traffic) std::cerr << "dejfa simcard: rules loaded, traffic starts\n";
    }
    if (busy) {
      for (int i = 0; i < 64; ++i) core->step();
    }
    left += core->out().size();
    core->out().clear();
    core->meta().clear();
  }
  for (const int c : clients) ::close(c);
  ::close(lfd);
  ::unlink(socket_path.c_str());
  std::cerr << "dejfa simcard: stopped after " << core->cycles() << " cycles, " << sent
            << " frames in, " << left << " out\n";
  return kExitOk;
}

}  // namespace dejfa::cli
