# Peer forecasters for the M4-Hourly benchmark (R side).
#
# Usage: Rscript bench/peers/m4_r.R METHOD TRAIN.csv OUT.csv [STRIDE]
#   METHOD  one of: ets, stlf, auto.arima, tbats, prophet
#   TRAIN   M4 Hourly-train.csv (col V1 = id, then observations, rows padded
#           with empty fields)
#   OUT     output CSV: id,ms,F1..F48,L1..L48,U1..U48
#           (point forecast, lower 95%, upper 95%), one row per series.
#   STRIDE  k (default 1): only series at 0-based file position i with
#           i %% k == 0 are run (k = 8 -> H1, H9, H17, ...).
#
# Timing: wall clock (Sys.time) around fit + forecast only, in ms; file
# reading and output writing are excluded. Before the timed loop, one untimed
# warm-up fit is done on the first series still to run, so that one-time
# costs (lazy loading of package code, Stan model loading for prophet) are
# not charged to the first series.
#
# Rows are appended one at a time, so partial progress survives a kill. If OUT
# already exists, ids present in it are skipped (resume); incomplete trailing
# lines from a killed run are dropped first.
#
# Per-series errors: the series falls back to seasonal naive (m = 24, the
# forecast::snaive interval formula), a warning naming the id goes to stderr,
# and the count of fallbacks is printed at the end. The recorded ms then
# covers the failed attempt plus the fallback.
#
# Models (forecast / prophet defaults unless stated):
#   ets        forecast::ets(ts(y, frequency = 24)); forecast(h = 48, level = 95)
#   stlf       forecast::stlf(msts(y, seasonal.periods = c(24, 168)),
#                             h = 48, level = 95)   (MSTL 24+168, ETS on the
#                             seasonally adjusted series)
#   auto.arima forecast::auto.arima(ts(y, frequency = 24)); forecast(h = 48, level = 95)
#   tbats      forecast::tbats(msts(y, c(24, 168)), use.parallel = FALSE,
#                              num.cores = 1); forecast(h = 48, level = 95)
#   prophet    prophet::prophet(df, interval.width = 0.95), df$ds a synthetic
#              hourly POSIXct index from 2015-01-01 00:00 UTC;
#              make_future_dataframe(periods = 48, freq = 3600,
#              include_history = FALSE); predict -> yhat, yhat_lower, yhat_upper

Sys.setenv(TZ = "UTC")  # avoid Sys.timezone() probing timedatectl (noisy, slow)
H <- 48L
M <- 24L
NCOL_OUT <- 2L + 3L * H

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 3L || length(args) > 4L) {
  cat("usage: Rscript m4_r.R METHOD TRAIN.csv OUT.csv [STRIDE]\n", file = stderr())
  quit(status = 2)
}
method <- args[[1]]
train_path <- args[[2]]
out_path <- args[[3]]
stride <- if (length(args) == 4L) as.integer(args[[4]]) else 1L
methods <- c("ets", "stlf", "auto.arima", "tbats", "prophet")
if (!(method %in% methods)) {
  cat("unknown METHOD '", method, "'; expected one of: ",
      paste(methods, collapse = ", "), "\n", sep = "", file = stderr())
  quit(status = 2)
}
if (is.na(stride) || stride < 1L) {
  cat("STRIDE must be a positive integer\n", file = stderr())
  quit(status = 2)
}

suppressPackageStartupMessages({
  library(forecast)
  if (method == "prophet") library(prophet)
})

# ---- models: each returns list(f, lo, hi), numeric vectors of length H ----

from_forecast <- function(fc) {
  list(f = as.numeric(fc$mean),
       lo = as.numeric(fc$lower[, 1]),
       hi = as.numeric(fc$upper[, 1]))
}

fit_forecast <- switch(method,
  "ets" = function(y) {
    fit <- ets(ts(y, frequency = M))
    from_forecast(forecast(fit, h = H, level = 95))
  },
  "stlf" = function(y) {
    from_forecast(stlf(msts(y, seasonal.periods = c(24, 168)), h = H, level = 95))
  },
  "auto.arima" = function(y) {
    fit <- auto.arima(ts(y, frequency = M))
    from_forecast(forecast(fit, h = H, level = 95))
  },
  "tbats" = function(y) {
    fit <- tbats(msts(y, seasonal.periods = c(24, 168)),
                 use.parallel = FALSE, num.cores = 1)
    from_forecast(forecast(fit, h = H, level = 95))
  },
  "prophet" = function(y) {
    ds <- as.POSIXct("2015-01-01 00:00:00", tz = "UTC") + 3600 * (seq_along(y) - 1)
    df <- data.frame(ds = ds, y = y)
    # prophet prints seasonality notes as messages and Stan prints progress on
    # stdout; keep both out of the logs.
    res <- NULL
    invisible(utils::capture.output(suppressMessages({
      m <- prophet(df, interval.width = 0.95)
      future <- make_future_dataframe(m, periods = H, freq = 3600,
                                      include_history = FALSE)
      p <- predict(m, future)
      res <- list(f = as.numeric(p$yhat),
                  lo = as.numeric(p$yhat_lower),
                  hi = as.numeric(p$yhat_upper))
    })))
    res
  }
)

# Seasonal naive, intervals as in forecast::snaive:
# sigma = RMS of in-sample lag-M differences, widening with sqrt(k + 1),
# k = number of complete seasons before step h.
snaive_fallback <- function(y) {
  n <- length(y)
  last <- y[(n - M + 1L):n]
  f <- rep(last, length.out = H)
  e <- y[(M + 1L):n] - y[1:(n - M)]
  sigma <- sqrt(mean(e^2, na.rm = TRUE))
  k <- floor((seq_len(H) - 1L) / M)
  z <- stats::qnorm(0.975)
  list(f = f, lo = f - z * sigma * sqrt(k + 1), hi = f + z * sigma * sqrt(k + 1))
}

check_result <- function(r) {
  if (is.null(r)) stop("model returned nothing")
  for (nm in c("f", "lo", "hi")) {
    v <- r[[nm]]
    if (length(v) != H) stop(sprintf("%s has length %d, expected %d", nm, length(v), H))
    if (any(!is.finite(v))) stop(sprintf("%s has non-finite values", nm))
  }
  invisible(r)
}

# ---- data ----

read_train <- function(path) {
  d <- utils::read.csv(path, header = TRUE, stringsAsFactors = FALSE,
                       colClasses = c(V1 = "character"),
                       na.strings = c("", "NA"))
  ids <- d[[1]]
  vals <- as.matrix(d[, -1, drop = FALSE])
  storage.mode(vals) <- "double"
  series <- lapply(seq_len(nrow(vals)), function(i) {
    v <- vals[i, ]
    as.numeric(v[!is.na(v)])
  })
  names(series) <- ids
  series
}

fmt <- function(x) sprintf("%.10g", x)

header_line <- paste(c("id", "ms", paste0("F", 1:H), paste0("L", 1:H), paste0("U", 1:H)),
                     collapse = ",")

# Existing output: keep complete rows only, return their ids.
prepare_out <- function(path) {
  if (!file.exists(path) || file.info(path)$size == 0) {
    cat(header_line, "\n", sep = "", file = path)
    return(character(0))
  }
  lines <- readLines(path, warn = FALSE)
  if (length(lines) == 0L || lines[[1]] != header_line) {
    stop(sprintf("%s exists but does not start with the expected header; refusing to touch it", path))
  }
  body <- lines[-1]
  # A last line without its newline may have been cut inside a number.
  sz <- file.info(path)$size
  con <- file(path, "rb"); seek(con, sz - 1); last <- readBin(con, "raw", 1); close(con)
  if (length(body) > 0L && last != as.raw(10)) body <- body[-length(body)]
  nf <- lengths(strsplit(body, ",", fixed = TRUE))
  good <- body[nf == NCOL_OUT]
  if (length(good) != length(lines) - 1L) {
    cat(sprintf("note: dropping %d incomplete line(s) from %s\n",
                length(lines) - 1L - length(good), path), file = stderr())
    writeLines(c(header_line, good), path)
  }
  sub(",.*$", "", good)
}

series <- read_train(train_path)
ids <- names(series)
selected <- which((seq_along(ids) - 1L) %% stride == 0L)
done <- prepare_out(out_path)
todo <- selected[!(ids[selected] %in% done)]

cat(sprintf("[%s] method=%s series=%d selected=%d already-done=%d to-run=%d\n",
            format(Sys.time(), "%Y-%m-%d %H:%M:%S"), method, length(ids),
            length(selected), length(selected) - length(todo), length(todo)),
    file = stderr())

if (length(todo) > 0L) {
  # Untimed warm-up (see header comment); its result is discarded.
  invisible(tryCatch(fit_forecast(series[[todo[[1]]]]), error = function(e) NULL))
}

n_fallback <- 0L
fallback_ids <- character(0)
total_ms <- 0
for (i in todo) {
  id <- ids[[i]]
  y <- series[[i]]
  t0 <- Sys.time()
  r <- tryCatch(check_result(fit_forecast(y)), error = function(e) e)
  if (inherits(r, "error")) {
    err <- r
    r <- snaive_fallback(y)
    n_fallback <- n_fallback + 1L
    fallback_ids <- c(fallback_ids, id)
    cat(sprintf("WARNING: %s failed on %s (%s); using seasonal naive\n",
                method, id, conditionMessage(err)), file = stderr())
  }
  ms <- as.numeric(difftime(Sys.time(), t0, units = "secs")) * 1000
  total_ms <- total_ms + ms
  line <- paste(c(id, sprintf("%.3f", ms), fmt(r$f), fmt(r$lo), fmt(r$hi)), collapse = ",")
  cat(line, "\n", sep = "", file = out_path, append = TRUE)
}

cat(sprintf("[%s] method=%s done: ran=%d total=%.1f s mean=%.1f ms fallbacks=%d%s\n",
            format(Sys.time(), "%Y-%m-%d %H:%M:%S"), method, length(todo),
            total_ms / 1000, if (length(todo)) total_ms / length(todo) else 0,
            n_fallback,
            if (n_fallback) paste0(" (", paste(fallback_ids, collapse = " "), ")") else ""),
    file = stderr())
