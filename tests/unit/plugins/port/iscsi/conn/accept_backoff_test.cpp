// accept_backoff: the listener's wait after accept errors.
#include <cerrno>

#include <catch2/catch.hpp>

#include "plugins/port/iscsi/accept_backoff.hpp"

using stmfd::iscsi::accept_backoff;
using ms = std::chrono::milliseconds;

TEST_CASE("resource_errors_back_off_doubling_to_a_second_and_success_resets", "[iscsi][accept]") {
  accept_backoff b;
  CHECK(b.after_error(EMFILE) == ms(10));
  CHECK(b.after_error(ENFILE) == ms(20));
  CHECK(b.after_error(ENOBUFS) == ms(40));
  CHECK(b.after_error(ENOMEM) == ms(80));
  for (int i = 0; i < 20; ++i) b.after_error(EMFILE);
  CHECK(b.current() == ms(1000));  // capped
  CHECK(b.after_error(EMFILE) == ms(1000));
  b.after_success();
  CHECK(b.current() == ms(0));
  CHECK(b.after_error(EMFILE) == ms(10));  // starts over
}

TEST_CASE("errors_of_one_connection_retry_at_once", "[iscsi][accept]") {
  accept_backoff b;
  CHECK(b.after_error(ECONNABORTED) == ms(0));
  CHECK(b.after_error(EPERM) == ms(0));
  CHECK(b.after_error(EMFILE) == ms(10));
  CHECK(b.after_error(ECONNABORTED) == ms(0));
  CHECK(b.current() == ms(10));  // a per-connection error neither grows nor resets the wait
}
