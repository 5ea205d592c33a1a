#include "prescient/storage/audit_log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <climits>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

namespace prescient::storage {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

Timestamp At(int64_t epoch_seconds) { return Timestamp{std::chrono::seconds{epoch_seconds}}; }

AuditRecord Record(std::string policy, int from, int to, int64_t at = 1'700'000'000) {
  AuditRecord r;
  r.at = At(at);
  r.identity = "prescient-0";
  r.policy = std::move(policy);
  r.target = "default/horizontalpodautoscalers/web";
  r.field = "spec.minReplicas";
  r.from = from;
  r.to = to;
  r.reason = "forecast peak 420 rps";
  return r;
}

std::vector<int64_t> Ids(const std::vector<AuditRecord>& records) {
  std::vector<int64_t> ids;
  for (const AuditRecord& r : records) ids.push_back(r.id);
  return ids;
}

// Runs one SQL text on the file with sqlite3 directly (the tests' view from outside).
void RawExec(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &error);
  EXPECT_EQ(rc, SQLITE_OK) << (error ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("prescient_storage_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "audit.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<AuditLog> OpenLog() {
    Result<std::unique_ptr<AuditLog>> log = AuditLog::Open(path_);
    EXPECT_TRUE(log.ok()) << log.status().ToString();
    return log.ok() ? std::move(log).value() : nullptr;
  }

  std::filesystem::path dir_;
  std::string path_;
};

TEST(AuditStateTest, Names) {
  EXPECT_EQ(AuditStateName(AuditState::kIntended), "intended");
  EXPECT_EQ(AuditStateName(AuditState::kApplied), "applied");
  EXPECT_EQ(AuditStateName(AuditState::kFailed), "failed");
  EXPECT_EQ(AuditStateName(AuditState::kDryRun), "dry-run");
  EXPECT_EQ(AuditStateName(AuditState::kInterrupted), "interrupted");
}

TEST_F(AuditLogTest, RoundTripsEveryFieldIncludingOddStrings) {
  std::unique_ptr<AuditLog> log = OpenLog();
  ASSERT_NE(log, nullptr);
  AuditRecord r;
  r.at = At(1'700'000'123);
  r.identity = std::string("pod\0with-nul", 12);
  r.policy = "shop/cart'); DROP TABLE audit; --";
  r.target = "ns/\"quoted\"/\n\t\\ \xff\xfe not utf-8";
  r.field = "";
  r.from = INT_MIN;
  r.to = INT_MAX;
  r.reason = std::string(3000, 'x') + std::string("\0\0end", 5) + "漢字";
  r.state = AuditState::kFailed;  // Ignored: a new record is intended.
  r.error = "ignored";
  Result<int64_t> id = log->Intend(r);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(*id, 1);
  Result<int64_t> second = log->Intend(Record("a/b", 1, 2));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, 2);

  Result<std::vector<AuditRecord>> all = log->Recent(10);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_THAT(Ids(*all), ElementsAre(2, 1));
  const AuditRecord& got = (*all)[1];
  EXPECT_EQ(got.at, r.at);
  EXPECT_EQ(got.identity, r.identity);
  EXPECT_EQ(got.identity.size(), 12u);
  EXPECT_EQ(got.policy, r.policy);
  EXPECT_EQ(got.target, r.target);
  EXPECT_EQ(got.field, "");
  EXPECT_EQ(got.from, INT_MIN);
  EXPECT_EQ(got.to, INT_MAX);
  EXPECT_EQ(got.reason, r.reason);
  EXPECT_EQ(got.state, AuditState::kIntended);
  EXPECT_EQ(got.error, "");
  EXPECT_EQ(got.completed_at, Timestamp{});

  // The odd policy string is also matched exactly by the filter.
  Result<std::vector<AuditRecord>> by_policy = log->Recent(10, r.policy);
  ASSERT_TRUE(by_policy.ok());
  EXPECT_THAT(Ids(*by_policy), ElementsAre(1));
}

TEST_F(AuditLogTest, CompleteRecordsTheOutcomeOnce) {
  std::unique_ptr<AuditLog> log = OpenLog();
  ASSERT_NE(log, nullptr);
  const int64_t applied = *log->Intend(Record("a/b", 2, 5));
  const int64_t failed = *log->Intend(Record("a/b", 5, 9));
  const int64_t dry = *log->Intend(Record("a/b", 9, 3));
  ASSERT_TRUE(log->Complete(applied, AuditState::kApplied, At(1'700'000'010)).ok());
  ASSERT_TRUE(log->Complete(failed, AuditState::kFailed, At(1'700'000'011), "409: conflict").ok());
  ASSERT_TRUE(log->Complete(dry, AuditState::kDryRun, At(1'700'000'012)).ok());

  std::vector<AuditRecord> all = *log->Recent(10);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[2].state, AuditState::kApplied);
  EXPECT_EQ(all[2].completed_at, At(1'700'000'010));
  EXPECT_EQ(all[2].error, "");
  EXPECT_EQ(all[1].state, AuditState::kFailed);
  EXPECT_EQ(all[1].error, "409: conflict");
  EXPECT_EQ(all[0].state, AuditState::kDryRun);

  const Status again = log->Complete(applied, AuditState::kFailed, At(1'700'000'020), "late");
  EXPECT_EQ(again.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(again.message(), HasSubstr("already applied"));
  EXPECT_EQ(log->Complete(99, AuditState::kApplied, At(1)).code(), StatusCode::kNotFound);
  EXPECT_EQ(log->Complete(applied, AuditState::kIntended, At(1)).code(),
            StatusCode::kInvalidArgument);
  // The refused calls changed nothing.
  EXPECT_EQ(log->Recent(10)->at(2).completed_at, At(1'700'000'010));
}

TEST_F(AuditLogTest, UnfinishedAndMarkInterrupted) {
  std::unique_ptr<AuditLog> log = OpenLog();
  ASSERT_NE(log, nullptr);
  const int64_t a = *log->Intend(Record("a/b", 1, 2));
  const int64_t b = *log->Intend(Record("a/b", 2, 3));
  const int64_t c = *log->Intend(Record("a/c", 3, 4));
  ASSERT_TRUE(log->Complete(b, AuditState::kApplied, At(1'700'000'001)).ok());

  Result<std::vector<AuditRecord>> unfinished = log->Unfinished();
  ASSERT_TRUE(unfinished.ok());
  EXPECT_THAT(Ids(*unfinished), ElementsAre(a, c));  // Oldest first.

  Result<int> marked = log->MarkInterrupted(At(1'700'000'100), "controller restarted");
  ASSERT_TRUE(marked.ok());
  EXPECT_EQ(*marked, 2);
  EXPECT_TRUE(log->Unfinished()->empty());
  EXPECT_EQ(*log->MarkInterrupted(At(1'700'000'200), "again"), 0);

  std::vector<AuditRecord> all = *log->Recent(10);
  EXPECT_EQ(all[0].state, AuditState::kInterrupted);
  EXPECT_EQ(all[0].error, "controller restarted");
  EXPECT_EQ(all[0].completed_at, At(1'700'000'100));
  EXPECT_EQ(all[1].state, AuditState::kApplied);
  EXPECT_EQ(all[2].state, AuditState::kInterrupted);
  EXPECT_EQ(log->Complete(a, AuditState::kApplied, At(1)).code(), StatusCode::kFailedPrecondition);
}

TEST_F(AuditLogTest, RecentIsNewestFirstWithFiltersAndLimit) {
  std::unique_ptr<AuditLog> log = OpenLog();
  ASSERT_NE(log, nullptr);
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(log->Intend(Record(i % 2 ? "shop/cart" : "shop/web", i, i + 1, 1000 + i)).ok());
  }
  EXPECT_THAT(Ids(*log->Recent(100)), ElementsAre(6, 5, 4, 3, 2, 1));
  EXPECT_THAT(Ids(*log->Recent(2)), ElementsAre(6, 5));
  EXPECT_THAT(Ids(*log->Recent(100, "shop/cart")), ElementsAre(6, 4, 2));
  EXPECT_THAT(Ids(*log->Recent(2, "shop/web")), ElementsAre(5, 3));
  EXPECT_THAT(Ids(*log->Recent(100, "", At(1003))), ElementsAre(6, 5, 4));
  EXPECT_THAT(Ids(*log->Recent(100, "shop/web", At(1003))), ElementsAre(5));
  EXPECT_TRUE(log->Recent(100, "shop/none")->empty());
  EXPECT_EQ(log->Recent(0).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(AuditLogTest, ReopeningKeepsEverything) {
  {
    std::unique_ptr<AuditLog> log = OpenLog();
    ASSERT_NE(log, nullptr);
    const int64_t id = *log->Intend(Record("a/b", 1, 2));
    ASSERT_TRUE(log->Complete(id, AuditState::kApplied, At(1'700'000'005)).ok());
    ASSERT_TRUE(log->Intend(Record("a/b", 2, 3)).ok());
  }
  std::unique_ptr<AuditLog> log = OpenLog();
  ASSERT_NE(log, nullptr);
  std::vector<AuditRecord> all = *log->Recent(10);
  ASSERT_THAT(Ids(all), ElementsAre(2, 1));
  EXPECT_EQ(all[1].state, AuditState::kApplied);
  EXPECT_EQ(all[1].completed_at, At(1'700'000'005));
  EXPECT_EQ(all[0].state, AuditState::kIntended);
  EXPECT_EQ(*log->Intend(Record("a/b", 3, 4)), 3);  // Ids continue.
}

TEST_F(AuditLogTest, TwoLogsOnOneFileBothWrite) {
  std::unique_ptr<AuditLog> first = OpenLog();
  std::unique_ptr<AuditLog> second = OpenLog();
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  std::vector<int64_t> ids;
  for (int i = 0; i < 10; ++i) {
    AuditLog& writer = i % 2 ? *second : *first;
    Result<int64_t> id = writer.Intend(Record("a/b", i, i + 1));
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    ids.push_back(*id);
    // The other one completes it: both see the same records.
    AuditLog& completer = i % 2 ? *first : *second;
    ASSERT_TRUE(completer.Complete(*id, AuditState::kApplied, At(1'700'000'000 + i)).ok());
  }
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  EXPECT_EQ(std::adjacent_find(ids.begin(), ids.end()), ids.end());
  EXPECT_EQ(first->Recent(100)->size(), 10u);
  EXPECT_EQ(second->Recent(100)->size(), 10u);
  EXPECT_TRUE(second->Unfinished()->empty());
}

TEST_F(AuditLogTest, ThreadsShareOneLog) {
  std::unique_ptr<AuditLog> log = OpenLog();
  ASSERT_NE(log, nullptr);
  constexpr int kThreads = 4, kEach = 20;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&log, &failures, t] {
      for (int i = 0; i < kEach; ++i) {
        Result<int64_t> id = log->Intend(Record("t/" + std::to_string(t), i, i + 1));
        if (!id.ok() || !log->Complete(*id, AuditState::kApplied, At(1)).ok()) ++failures;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(log->Recent(1000)->size(), size_t{kThreads * kEach});
  EXPECT_EQ(log->Recent(1000, "t/2")->size(), size_t{kEach});
  EXPECT_TRUE(log->Unfinished()->empty());
}

TEST_F(AuditLogTest, NotSqliteIsOneLineErrorNamingThePath) {
  std::ofstream(path_) << std::string(8192, 'z') << "\nthis is not a database\n";
  Result<std::unique_ptr<AuditLog>> log = AuditLog::Open(path_);
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(log.status().message(), HasSubstr(path_));
  EXPECT_THAT(log.status().message(), HasSubstr("not a database"));
  EXPECT_THAT(log.status().message(), Not(HasSubstr("\n")));
}

TEST_F(AuditLogTest, MissingDirectoryIsOneLineErrorNamingThePath) {
  const std::string path = (dir_ / "missing" / "audit.db").string();
  Result<std::unique_ptr<AuditLog>> log = AuditLog::Open(path);
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(log.status().message(), HasSubstr(path));
  EXPECT_THAT(log.status().message(), HasSubstr("does not exist"));
  EXPECT_THAT(log.status().message(), Not(HasSubstr("\n")));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "missing"));
}

TEST_F(AuditLogTest, NewerSchemaVersionIsRefused) {
  ASSERT_NE(OpenLog(), nullptr);
  RawExec(path_, "PRAGMA user_version = 7");
  Result<std::unique_ptr<AuditLog>> log = AuditLog::Open(path_);
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(log.status().message(), HasSubstr(path_));
  EXPECT_THAT(log.status().message(), HasSubstr("schema version 7"));
}

TEST_F(AuditLogTest, SomeoneElsesSqliteDatabaseIsRefused) {
  RawExec(path_, "CREATE TABLE users (name TEXT)");
  Result<std::unique_ptr<AuditLog>> log = AuditLog::Open(path_);
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(log.status().message(), HasSubstr("not a Prescient audit log"));
}

// --- Crash consistency -----------------------------------------------------------------

constexpr size_t kPayloadBytes = 4096;

uint64_t Fnv1a(std::string_view bytes) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ull;
  return h;
}

// "n=<seq> fnv=<hash of body>|" then 4 KiB of bytes (NULs and quotes included) drawn
// from a generator seeded by seq: a record torn anywhere fails one of the checks.
std::string Payload(int64_t seq) {
  std::mt19937_64 gen(static_cast<uint64_t>(seq));
  std::string body(kPayloadBytes, '\0');
  for (char& c : body) c = static_cast<char>(gen() & 0xff);
  return "n=" + std::to_string(seq) + " fnv=" + std::to_string(Fnv1a(body)) + "|" + body;
}

AuditRecord CrashRecord(int64_t seq) {
  AuditRecord r =
      Record("crash/writer", static_cast<int>(seq), static_cast<int>(seq + 1), 1'700'000'000 + seq);
  r.reason = Payload(seq);
  return r;
}

// What a complete record written by the child looks like; "" if it is one.
std::string Torn(const AuditRecord& r) {
  const int64_t seq = r.from;
  if (r.to != seq + 1 || r.at != At(1'700'000'000 + seq)) return "from/to/at disagree";
  const AuditRecord want = CrashRecord(seq);
  if (r.identity != want.identity || r.policy != want.policy || r.target != want.target ||
      r.field != want.field) {
    return "strings differ";
  }
  const size_t bar = r.reason.find('|');
  if (bar == std::string::npos) return "no payload header";
  const std::string body = r.reason.substr(bar + 1);
  if (body.size() != kPayloadBytes) return "payload is " + std::to_string(body.size()) + " bytes";
  if (r.reason.substr(0, bar) != "n=" + std::to_string(seq) + " fnv=" + std::to_string(Fnv1a(body)))
    return "payload checksum";
  if (r.reason != want.reason) return "payload differs";
  return "";
}

// The child: Intend, acknowledge the id on the pipe, Complete, forever (until SIGKILL).
[[noreturn]] void RunWriter(const std::string& path, int ack_fd) {
  Result<std::unique_ptr<AuditLog>> log = AuditLog::Open(path);
  if (!log.ok()) _exit(3);
  for (int64_t seq = 0;; ++seq) {
    const AuditRecord r = CrashRecord(seq);
    Result<int64_t> id = (*log)->Intend(r);
    if (!id.ok()) _exit(4);
    if (::write(ack_fd, &*id, sizeof(int64_t)) != sizeof(int64_t)) _exit(5);
    if (!(*log)->Complete(*id, AuditState::kApplied, r.at + std::chrono::seconds(1)).ok()) {
      _exit(6);
    }
  }
}

bool ReadId(int fd, int64_t& id) {
  size_t got = 0;
  auto* p = reinterpret_cast<char*>(&id);
  while (got < sizeof(id)) {
    const ssize_t n = ::read(fd, p + got, sizeof(id) - got);
    if (n == 0) return false;
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    got += static_cast<size_t>(n);
  }
  return true;
}

std::string IntegrityCheck(const std::string& path) {
  sqlite3* db = nullptr;
  std::string result;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, nullptr) == SQLITE_OK) {
      while (sqlite3_step(stmt) == SQLITE_ROW) {
        result += reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
      }
    }
    sqlite3_finalize(stmt);
  }
  if (result.empty()) result = sqlite3_errmsg(db);
  sqlite3_close(db);
  return result;
}

TEST_F(AuditLogTest, SigkillDuringApplyLeavesLogConsistent) {
  std::mt19937 rng(20240607);  // Fixed: the kill moments vary with timing anyway.
  std::vector<int64_t> acknowledged;
  for (int round = 0; round < 3; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(fds[0]);
      RunWriter(path_, fds[1]);
    }
    ::close(fds[1]);
    // Kill after some hundreds of acknowledgements, a random moment later.
    const size_t kill_after = acknowledged.size() + 200 + rng() % 200;
    int64_t id = 0;
    while (acknowledged.size() < kill_after && ReadId(fds[0], id)) acknowledged.push_back(id);
    ::usleep(rng() % 3000);
    ::kill(pid, SIGKILL);
    while (ReadId(fds[0], id)) acknowledged.push_back(id);  // Written before it died.
    ::close(fds[0]);
    int wait_status = 0;
    ASSERT_EQ(::waitpid(pid, &wait_status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(wait_status))
        << "writer exited early with " << WEXITSTATUS(wait_status);
    ASSERT_GE(acknowledged.size(), kill_after);

    EXPECT_EQ(IntegrityCheck(path_), "ok");
    std::unique_ptr<AuditLog> log = OpenLog();
    ASSERT_NE(log, nullptr);
    Result<std::vector<AuditRecord>> all = log->Recent(INT_MAX);
    ASSERT_TRUE(all.ok()) << all.status().ToString();
    std::reverse(all->begin(), all->end());  // Oldest first.
    // Gap-free ids 1..max, each record whole.
    for (size_t i = 0; i < all->size(); ++i) {
      const AuditRecord& r = (*all)[i];
      ASSERT_EQ(r.id, static_cast<int64_t>(i) + 1);
      ASSERT_EQ(Torn(r), "") << "record " << r.id;
    }
    // Every acknowledged id is there.
    for (int64_t acked : acknowledged) {
      ASSERT_GE(acked, 1);
      ASSERT_LE(acked, static_cast<int64_t>(all->size()));
    }
    // At most the last record was left between Intend and Complete.
    Result<std::vector<AuditRecord>> unfinished = log->Unfinished();
    ASSERT_TRUE(unfinished.ok());
    ASSERT_LE(unfinished->size(), 1u);
    if (!unfinished->empty()) {
      EXPECT_EQ(unfinished->front().id, all->back().id);
    }
    for (const AuditRecord& r : *all) {
      EXPECT_TRUE(r.state == AuditState::kApplied || r.state == AuditState::kIntended ||
                  r.state == AuditState::kInterrupted)
          << r.id;
    }
    // What the controller does at start-up; the next round writes on after it.
    Result<int> marked = log->MarkInterrupted(At(1'800'000'000), "killed by test");
    ASSERT_TRUE(marked.ok());
    EXPECT_EQ(*marked, static_cast<int>(unfinished->size()));
  }
}

}  // namespace
}  // namespace prescient::storage
