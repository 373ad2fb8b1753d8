// crc32c_bench: our CRC32C (wire/crc32c.cpp) against ISA-L's crc32_iscsi at
// the sizes iSCSI digests cover: a 48-byte basic header segment, and 4 KiB,
// 64 KiB and 256 KiB data segments. Not a test (not in ctest); built only on
// request:  scripts/build Release crc32c_bench
//   build/Release/tests/crc32c_bench [trials] [milliseconds per trial] [sizes...]
// (default sizes 48 4096 65536 262144; at most 256 KiB each)
// Every candidate is first checked against the RFC 7143 B.4 vectors and the
// others on random data; the run stops if any disagrees. Prints MB/s
// (10^6 bytes per second) and ns per call, best and median of the trials.

#include <isa-l/crc.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "wire/crc32c.hpp"

namespace {

using namespace stmfd::wire;

// A candidate computes the full iSCSI digest (init, update, final) of a buffer.
struct candidate {
  const char* name;
  uint32_t (*digest)(const uint8_t*, size_t);
};

uint32_t ours_dispatch(const uint8_t* p, size_t n) { return crc32c(p, n); }
uint32_t ours_hw(const uint8_t* p, size_t n) { return crc32c_final(detail::crc32c_update_hw(crc32c_init, p, n)); }
uint32_t ours_table(const uint8_t* p, size_t n) { return crc32c_final(detail::crc32c_update_table(crc32c_init, p, n)); }
// ISA-L's crc32_iscsi neither inverts its seed nor its result: it is our raw
// update, so the digest is ~crc32_iscsi(p, n, 0xFFFFFFFF). It takes a
// non-const pointer and an int length.
uint32_t isal(const uint8_t* p, size_t n) {
  return ~crc32_iscsi(const_cast<uint8_t*>(p), static_cast<int>(n), 0xFFFFFFFFu);
}

const candidate candidates[] = {
    {"ours (crc32c)", ours_dispatch},
    {"ours sse4.2", ours_hw},
    {"ours table", ours_table},
    {"isa-l crc32_iscsi", isal},
};

struct vector_case {
  std::vector<uint8_t> data;
  uint32_t want;
};

// RFC 7143 Appendix B.4, digests as values (the wire carries them LSB first).
std::vector<vector_case> rfc_vectors() {
  std::vector<vector_case> v;
  v.push_back({std::vector<uint8_t>(32, 0x00), 0x8A9136AAu});
  v.push_back({std::vector<uint8_t>(32, 0xFF), 0x62A8AB43u});
  std::vector<uint8_t> up(32), down(32);
  for (int i = 0; i < 32; ++i) {
    up[i] = static_cast<uint8_t>(i);
    down[i] = static_cast<uint8_t>(31 - i);
  }
  v.push_back({up, 0x46DD794Eu});
  v.push_back({down, 0x113FDB5Cu});
  v.push_back({{0x01, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x18,
                0x28, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00},
               0xD9963A56u});
  return v;
}

// Returns false (after saying why) unless every candidate gives the RFC
// digests and agrees with the first one on random buffers of many lengths
// and alignments.
bool check_agreement(const std::vector<uint8_t>& random) {
  bool ok = true;
  for (const auto& c : candidates) {
    for (const auto& v : rfc_vectors()) {
      uint32_t got = c.digest(v.data.data(), v.data.size());
      if (got != v.want) {
        std::printf("MISMATCH %s: RFC 7143 B.4 vector of %zu bytes gives %08x, want %08x\n", c.name, v.data.size(), got,
                    v.want);
        ok = false;
      }
    }
  }
  for (size_t offset : {0, 1, 3}) {
    for (size_t n = 0; n + offset <= random.size(); n = n < 2048 ? n + 1 : n * 3 + 5) {
      uint32_t want = candidates[0].digest(random.data() + offset, n);
      for (const auto& c : candidates) {
        uint32_t got = c.digest(random.data() + offset, n);
        if (got != want) {
          std::printf("MISMATCH %s: %zu bytes at offset %zu give %08x, %s gives %08x\n", c.name, n, offset, got,
                      candidates[0].name, want);
          ok = false;
        }
      }
    }
  }
  return ok;
}

volatile uint32_t sink;

// One trial: calls digest over the same (cache-hot) buffer for about `ms`;
// returns MB/s.
double trial(const candidate& c, const uint8_t* p, size_t n, int ms) {
  using clock = std::chrono::steady_clock;
  // Calls per clock check: about 1 MB of work, at least 1 call.
  const size_t batch = std::max<size_t>(1, (1u << 20) / n);
  uint32_t acc = 0;
  size_t calls = 0;
  auto start = clock::now();
  auto deadline = start + std::chrono::milliseconds(ms);
  clock::time_point now;
  do {
    for (size_t i = 0; i < batch; ++i) acc ^= c.digest(p, n);
    calls += batch;
    now = clock::now();
  } while (now < deadline);
  sink = acc;
  double secs = std::chrono::duration<double>(now - start).count();
  return double(calls) * double(n) / secs / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  int trials = argc > 1 ? std::atoi(argv[1]) : 7;
  int ms = argc > 2 ? std::atoi(argv[2]) : 200;
  if (trials < 1 || ms < 1) {
    std::fprintf(stderr, "usage: %s [trials >= 1] [milliseconds per trial >= 1] [sizes...]\n", argv[0]);
    return 2;
  }

  const size_t max_len = 256 * 1024;
  std::vector<size_t> sizes;
  for (int i = 3; i < argc; ++i) {
    long n = std::atol(argv[i]);
    if (n < 1 || size_t(n) > max_len) {
      std::fprintf(stderr, "size %s: want 1..%zu\n", argv[i], max_len);
      return 2;
    }
    sizes.push_back(size_t(n));
  }
  if (sizes.empty()) sizes = {48, 4096, 65536, 262144};
  std::vector<uint8_t> buf(max_len + 64);
  std::mt19937 rng(1);
  for (auto& b : buf) b = static_cast<uint8_t>(rng());

  std::printf("hardware crc32 (sse4.2): %s\n", detail::crc32c_hw_available() ? "yes" : "no");
  if (!check_agreement(buf)) return 1;
  std::printf("all candidates match RFC 7143 B.4 and each other\n");
  std::printf("%d trials of %d ms each; MB/s = 10^6 bytes/s; buffer 64-byte aligned, cache-hot\n\n", trials, ms);
  std::printf("%-9s %-20s %12s %12s %12s\n", "size", "implementation", "best MB/s", "median MB/s", "best ns/call");

  // 64-byte aligned start, as the buffer pool hands out.
  uint8_t* p = buf.data() + (64 - reinterpret_cast<uintptr_t>(buf.data()) % 64) % 64;
  constexpr size_t n_candidates = std::size(candidates);
  for (size_t n : sizes) {
    // Trials of the candidates alternate, so a busy spell on a shared
    // machine hits all of them alike.
    std::vector<double> mbs[n_candidates];
    for (int t = 0; t < trials; ++t)
      for (size_t i = 0; i < n_candidates; ++i) {
        if (candidates[i].digest == ours_table && n > 4096) continue;  // slow, and only the fallback
        mbs[i].push_back(trial(candidates[i], p, n, ms));
      }
    for (size_t i = 0; i < n_candidates; ++i) {
      if (mbs[i].empty()) continue;
      std::sort(mbs[i].begin(), mbs[i].end());
      double best = mbs[i].back();
      std::printf("%-9zu %-20s %12.0f %12.0f %12.1f\n", n, candidates[i].name, best, mbs[i][mbs[i].size() / 2],
                  double(n) * 1e3 / best);
    }
  }
  return 0;
}
