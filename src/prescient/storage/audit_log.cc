// Schema version 1 (PRAGMA user_version = 1), one table:
//
//   audit(id INTEGER PRIMARY KEY AUTOINCREMENT, at, identity, policy, target, field,
//         from_value, to_value, reason, state, error, completed_at)
//
// Times are epoch seconds (UTC); `state` is AuditStateName's text, so `sqlite3 FILE` reads
// the trail without us. AUTOINCREMENT keeps its counter in sqlite_sequence, updated in the
// inserting transaction: ids are never reused, and an insert that dies rolls back both.
//
// Why a SIGKILL (or power loss) leaves the log consistent: each Intend and Complete is one
// statement in its own transaction. In WAL mode a transaction is appended to the -wal file
// as frames ending in a commit frame, each with a running checksum; recovery replays up to
// the last valid commit frame and ignores a torn tail, so a record is either all there or
// absent. synchronous=FULL fsyncs the WAL at every commit, so once Intend returns its
// record survives a crash of the machine too, not only of the process.
//
// Strings are bound with their length (sqlite3_bind_text64) and read back with
// sqlite3_column_bytes, so quotes and NUL bytes survive as they are.
#include "prescient/storage/audit_log.h"

#include <sqlite3.h>

#include <filesystem>
#include <mutex>
#include <optional>

namespace prescient::storage {
namespace {

constexpr int kSchemaVersion = 1;
// Two processes (an old and a new leader, `prescient audit`) may hold the file briefly.
constexpr int kBusyTimeoutMs = 10'000;

constexpr char kSchema[] = R"sql(
CREATE TABLE audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  identity TEXT NOT NULL,
  policy TEXT NOT NULL,
  target TEXT NOT NULL,
  field TEXT NOT NULL,
  from_value INTEGER NOT NULL,
  to_value INTEGER NOT NULL,
  reason TEXT NOT NULL,
  state TEXT NOT NULL
    CHECK (state IN ('intended', 'applied', 'failed', 'dry-run', 'interrupted')),
  error TEXT NOT NULL,
  completed_at INTEGER NOT NULL
);
CREATE INDEX audit_by_policy ON audit (policy, id);
CREATE INDEX audit_unfinished ON audit (id) WHERE state = 'intended';
PRAGMA user_version = 1;
)sql";

constexpr char kColumns[] =
    "id, at, identity, policy, target, field, from_value, to_value, reason, state, error, "
    "completed_at";

constexpr AuditState kAllStates[] = {AuditState::kIntended, AuditState::kApplied,
                                     AuditState::kFailed, AuditState::kDryRun,
                                     AuditState::kInterrupted};

std::optional<AuditState> ParseAuditState(std::string_view name) {
  for (AuditState s : kAllStates) {
    if (AuditStateName(s) == name) return s;
  }
  return std::nullopt;
}

int64_t EpochSeconds(Timestamp t) { return t.time_since_epoch().count(); }
Timestamp FromEpochSeconds(int64_t s) { return Timestamp{std::chrono::seconds{s}}; }

// The canonical code for an SQLite result code, by what the caller can do about it.
StatusCode CodeFor(int rc) {
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
      return StatusCode::kUnavailable;
    case SQLITE_FULL:
      return StatusCode::kResourceExhausted;
    case SQLITE_NOTADB:
    case SQLITE_CANTOPEN:
    case SQLITE_TOOBIG:
      return StatusCode::kInvalidArgument;
    case SQLITE_CORRUPT:
      return StatusCode::kDataLoss;
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_AUTH:
      return StatusCode::kPermissionDenied;
    default:
      return StatusCode::kInternal;
  }
}

struct DbClose {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using DbPtr = std::unique_ptr<sqlite3, DbClose>;

// A prepared statement. Bind errors are kept and reported by the next Step, so a call
// site reads as a list of binds.
class Statement {
 public:
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  Statement(Statement&& other) noexcept
      : stmt_(std::exchange(other.stmt_, nullptr)), bind_rc_(other.bind_rc_) {}
  Statement& operator=(Statement&&) = delete;
  ~Statement() { sqlite3_finalize(stmt_); }

  void Bind(int index, std::string_view text) {
    // A null pointer would bind SQL NULL; an empty view may have one.
    const char* data = text.data() != nullptr ? text.data() : "";
    Keep(sqlite3_bind_text64(stmt_, index, data, text.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
  }
  void Bind(int index, int64_t value) { Keep(sqlite3_bind_int64(stmt_, index, value)); }

  // SQLITE_ROW or SQLITE_DONE, else the error code.
  int Step() { return bind_rc_ != SQLITE_OK ? bind_rc_ : sqlite3_step(stmt_); }

  int64_t Int(int column) const { return sqlite3_column_int64(stmt_, column); }
  std::string Text(int column) const {
    // column_text before column_bytes, as sqlite3.h asks.
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    if (text == nullptr) return "";
    return std::string(text, static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
  }

 private:
  void Keep(int rc) {
    if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  }
  sqlite3_stmt* stmt_;
  int bind_rc_ = SQLITE_OK;
};

}  // namespace

std::string_view AuditStateName(AuditState s) {
  switch (s) {
    case AuditState::kIntended:
      return "intended";
    case AuditState::kApplied:
      return "applied";
    case AuditState::kFailed:
      return "failed";
    case AuditState::kDryRun:
      return "dry-run";
    case AuditState::kInterrupted:
      return "interrupted";
  }
  return "unknown";
}

struct AuditLog::Connection {
  std::string path;
  DbPtr db;
  std::mutex mu;  // Serialises all use of `db` (opened SQLITE_OPEN_NOMUTEX).

  // "audit log PATH: what: sqlite's message". Call right after the failing call.
  Status Error(int rc, std::string_view what) const {
    return Status(CodeFor(rc), "audit log " + path + ": " + std::string(what) + ": " +
                                   (db ? sqlite3_errmsg(db.get()) : sqlite3_errstr(rc)));
  }

  Result<Statement> Prepare(std::string_view sql, std::string_view what) {
    sqlite3_stmt* stmt = nullptr;
    const int rc =
        sqlite3_prepare_v2(db.get(), sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) return Error(rc, what);
    return Statement(stmt);
  }

  // Runs a statement that returns no rows (or whose rows do not matter).
  Status Run(Statement& stmt, std::string_view what) {
    int rc;
    while ((rc = stmt.Step()) == SQLITE_ROW) {
    }
    return rc == SQLITE_DONE ? OkStatus() : Error(rc, what);
  }

  Status Exec(const char* sql, std::string_view what) {
    const int rc = sqlite3_exec(db.get(), sql, nullptr, nullptr, nullptr);
    return rc == SQLITE_OK ? OkStatus() : Error(rc, what);
  }

  // The single integer a pragma or count query answers.
  Result<int64_t> QueryInt(const char* sql, std::string_view what) {
    PRESCIENT_ASSIGN_OR_RETURN(Statement stmt, Prepare(sql, what));
    const int rc = stmt.Step();
    if (rc != SQLITE_ROW) return Error(rc, what);
    const int64_t value = stmt.Int(0);
    PRESCIENT_RETURN_IF_ERROR(Run(stmt, what));
    return value;
  }

  Status Configure();
  Status Migrate();
  Result<std::vector<AuditRecord>> Select(Statement& stmt, std::string_view what);
};

Status AuditLog::Connection::Configure() {
  sqlite3_extended_result_codes(db.get(), 1);
  sqlite3_busy_timeout(db.get(), kBusyTimeoutMs);
  // The first read of the file: where one that is not SQLite shows ("file is not a
  // database", InvalidArgument).
  PRESCIENT_RETURN_IF_ERROR(QueryInt("PRAGMA user_version", "read schema version").status());
  PRESCIENT_ASSIGN_OR_RETURN(Statement wal, Prepare("PRAGMA journal_mode = WAL", "enable WAL"));
  const int rc = wal.Step();
  if (rc != SQLITE_ROW) return Error(rc, "enable WAL");
  if (const std::string mode = wal.Text(0); mode != "wal") {
    return FailedPreconditionError("audit log " + path + ": journal mode is '" + mode +
                                   "', not 'wal' (is the file system local?)");
  }
  PRESCIENT_RETURN_IF_ERROR(Run(wal, "enable WAL"));
  return Exec("PRAGMA synchronous = FULL", "set synchronous");
}

// Creates the schema in an empty file; accepts our version; refuses anything else. In one
// IMMEDIATE transaction so two processes opening a new file do not both create it.
Status AuditLog::Connection::Migrate() {
  PRESCIENT_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE", "begin"));
  const Status status = [&]() -> Status {
    PRESCIENT_ASSIGN_OR_RETURN(const int64_t version,
                               QueryInt("PRAGMA user_version", "read schema version"));
    if (version == kSchemaVersion) return OkStatus();
    if (version > kSchemaVersion) {
      return FailedPreconditionError(
          "audit log " + path + ": schema version " + std::to_string(version) +
          " is newer than this prescient reads (" + std::to_string(kSchemaVersion) + ")");
    }
    PRESCIENT_ASSIGN_OR_RETURN(const int64_t objects,
                               QueryInt("SELECT count(*) FROM sqlite_master", "read schema"));
    if (version != 0 || objects != 0) {
      return InvalidArgumentError("audit log " + path +
                                  ": an SQLite database but not a Prescient audit log "
                                  "(schema version " +
                                  std::to_string(version) + ")");
    }
    return Exec(kSchema, "create schema");
  }();
  if (!status.ok()) {
    Exec("ROLLBACK", "roll back").IgnoreError();  // The error above says what went wrong.
    return status;
  }
  return Exec("COMMIT", "commit schema");
}

Result<std::vector<AuditRecord>> AuditLog::Connection::Select(Statement& stmt,
                                                              std::string_view what) {
  std::vector<AuditRecord> out;
  int rc;
  while ((rc = stmt.Step()) == SQLITE_ROW) {
    AuditRecord r;
    r.id = stmt.Int(0);
    r.at = FromEpochSeconds(stmt.Int(1));
    r.identity = stmt.Text(2);
    r.policy = stmt.Text(3);
    r.target = stmt.Text(4);
    r.field = stmt.Text(5);
    r.from = static_cast<int>(stmt.Int(6));
    r.to = static_cast<int>(stmt.Int(7));
    r.reason = stmt.Text(8);
    const std::string state = stmt.Text(9);
    const std::optional<AuditState> parsed = ParseAuditState(state);
    if (!parsed) {
      return Status(StatusCode::kDataLoss, "audit log " + path + ": record " +
                                               std::to_string(r.id) + " has unknown state '" +
                                               state + "'");
    }
    r.state = *parsed;
    r.error = stmt.Text(10);
    r.completed_at = FromEpochSeconds(stmt.Int(11));
    out.push_back(std::move(r));
  }
  if (rc != SQLITE_DONE) return Error(rc, what);
  return out;
}

AuditLog::AuditLog(std::unique_ptr<Connection> connection) : connection_(std::move(connection)) {}

AuditLog::~AuditLog() = default;

Result<std::unique_ptr<AuditLog>> AuditLog::Open(const std::string& path) {
  // SQLite's own message for this is "unable to open database file"; say which part.
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  std::error_code ec;
  if (!parent.empty() && !std::filesystem::is_directory(parent, ec)) {
    return InvalidArgumentError("audit log " + path + ": directory " + parent.string() +
                                " does not exist");
  }
  auto c = std::make_unique<Connection>();
  c->path = path;
  sqlite3* raw = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  c->db.reset(raw);  // Even a failed open returns a handle to close.
  if (rc != SQLITE_OK) return c->Error(rc, "open");
  PRESCIENT_RETURN_IF_ERROR(c->Configure());
  PRESCIENT_RETURN_IF_ERROR(c->Migrate());
  return std::unique_ptr<AuditLog>(new AuditLog(std::move(c)));
}

Result<int64_t> AuditLog::Intend(const AuditRecord& record) {
  Connection& c = *connection_;
  std::lock_guard<std::mutex> lock(c.mu);
  PRESCIENT_ASSIGN_OR_RETURN(
      Statement stmt,
      c.Prepare("INSERT INTO audit (at, identity, policy, target, field, from_value, to_value, "
                "reason, state, error, completed_at) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'intended', '', 0)",
                "record intent"));
  stmt.Bind(1, EpochSeconds(record.at));
  stmt.Bind(2, record.identity);
  stmt.Bind(3, record.policy);
  stmt.Bind(4, record.target);
  stmt.Bind(5, record.field);
  stmt.Bind(6, int64_t{record.from});
  stmt.Bind(7, int64_t{record.to});
  stmt.Bind(8, record.reason);
  // Autocommit: when the statement is done, its transaction is committed and synced.
  PRESCIENT_RETURN_IF_ERROR(c.Run(stmt, "record intent"));
  return static_cast<int64_t>(sqlite3_last_insert_rowid(c.db.get()));
}

Status AuditLog::Complete(int64_t id, AuditState state, Timestamp at, const std::string& error) {
  if (state == AuditState::kIntended) {
    return InvalidArgumentError("audit record " + std::to_string(id) +
                                ": an outcome cannot be 'intended'");
  }
  Connection& c = *connection_;
  std::lock_guard<std::mutex> lock(c.mu);
  {
    PRESCIENT_ASSIGN_OR_RETURN(
        Statement stmt, c.Prepare("UPDATE audit SET state = ?2, error = ?3, completed_at = ?4 "
                                  "WHERE id = ?1 AND state = 'intended'",
                                  "record outcome"));
    stmt.Bind(1, id);
    stmt.Bind(2, AuditStateName(state));
    stmt.Bind(3, error);
    stmt.Bind(4, EpochSeconds(at));
    PRESCIENT_RETURN_IF_ERROR(c.Run(stmt, "record outcome"));
    if (sqlite3_changes(c.db.get()) == 1) return OkStatus();
  }
  // Nothing changed: say why.
  PRESCIENT_ASSIGN_OR_RETURN(
      Statement stmt, c.Prepare("SELECT state FROM audit WHERE id = ?1", "read record state"));
  stmt.Bind(1, id);
  const int rc = stmt.Step();
  if (rc == SQLITE_DONE) {
    return NotFoundError("audit log " + c.path + ": no record " + std::to_string(id));
  }
  if (rc != SQLITE_ROW) return c.Error(rc, "read record state");
  return FailedPreconditionError("audit log " + c.path + ": record " + std::to_string(id) +
                                 " is already " + stmt.Text(0) + ", not intended");
}

Result<std::vector<AuditRecord>> AuditLog::Unfinished() {
  Connection& c = *connection_;
  std::lock_guard<std::mutex> lock(c.mu);
  PRESCIENT_ASSIGN_OR_RETURN(Statement stmt,
                             c.Prepare(std::string("SELECT ") + kColumns +
                                           " FROM audit WHERE state = 'intended' ORDER BY id",
                                       "read unfinished records"));
  return c.Select(stmt, "read unfinished records");
}

Result<int> AuditLog::MarkInterrupted(Timestamp at, const std::string& error) {
  Connection& c = *connection_;
  std::lock_guard<std::mutex> lock(c.mu);
  PRESCIENT_ASSIGN_OR_RETURN(Statement stmt,
                             c.Prepare("UPDATE audit SET state = 'interrupted', error = ?1, "
                                       "completed_at = ?2 WHERE state = 'intended'",
                                       "mark interrupted"));
  stmt.Bind(1, error);
  stmt.Bind(2, EpochSeconds(at));
  PRESCIENT_RETURN_IF_ERROR(c.Run(stmt, "mark interrupted"));
  return sqlite3_changes(c.db.get());
}

Result<std::vector<AuditRecord>> AuditLog::Recent(int limit, const std::string& policy,
                                                  Timestamp since) {
  if (limit < 1) {
    return InvalidArgumentError("audit log: limit must be at least 1, got " +
                                std::to_string(limit));
  }
  Connection& c = *connection_;
  std::lock_guard<std::mutex> lock(c.mu);
  // Two texts rather than "(?3 = '' OR policy = ?3)", so the policy index is used.
  std::string sql = std::string("SELECT ") + kColumns + " FROM audit WHERE at >= ?1";
  if (!policy.empty()) sql += " AND policy = ?3";
  sql += " ORDER BY id DESC LIMIT ?2";
  PRESCIENT_ASSIGN_OR_RETURN(Statement stmt, c.Prepare(sql, "read recent records"));
  stmt.Bind(1, EpochSeconds(since));
  stmt.Bind(2, int64_t{limit});
  if (!policy.empty()) stmt.Bind(3, policy);
  return c.Select(stmt, "read recent records");
}

}  // namespace prescient::storage
