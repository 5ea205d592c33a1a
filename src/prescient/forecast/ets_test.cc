// Tests of ETS: structure recovered on synthetic series, R's forecast::ets reproduced on
// classic datasets, the fast recursion against a transcription of R's etscalc(), the
// admissibility test against R's polyroot(), and degenerate input.
#include "prescient/forecast/ets.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <ctime>
#include <numbers>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "prescient/forecast/ets_core.h"

namespace prescient::forecast {
namespace {

using ::testing::HasSubstr;

std::vector<double> Noise(int n, double sd, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal(0.0, sd);
  std::vector<double> e(n);
  for (double& x : e) x = normal(rng);
  return e;
}

bool AnyNoteHas(const ModelForecast& f, const std::string& text) {
  for (const std::string& note : f.notes) {
    if (note.find(text) != std::string::npos) return true;
  }
  return false;
}

// Datasets from R 4.x `datasets`, values as R prints them.
constexpr double kAirPassengers[] = {
    112, 118, 132, 129, 121, 135, 148, 148, 136, 119, 104, 118, 115, 126, 141, 135, 125, 149,
    170, 170, 158, 133, 114, 140, 145, 150, 178, 163, 172, 178, 199, 199, 184, 162, 146, 166,
    171, 180, 193, 181, 183, 218, 230, 242, 209, 191, 172, 194, 196, 196, 236, 235, 229, 243,
    264, 272, 237, 211, 180, 201, 204, 188, 235, 227, 234, 264, 302, 293, 259, 229, 203, 229,
    242, 233, 267, 269, 270, 315, 364, 347, 312, 274, 237, 278, 284, 277, 317, 313, 318, 374,
    413, 405, 355, 306, 271, 306, 315, 301, 356, 348, 355, 422, 465, 467, 404, 347, 305, 336,
    340, 318, 362, 348, 363, 435, 491, 505, 404, 359, 310, 337, 360, 342, 406, 396, 420, 472,
    548, 559, 463, 407, 362, 405, 417, 391, 419, 461, 472, 535, 622, 606, 508, 461, 390, 432};

constexpr double kUsAccDeaths[] = {
    9007, 8106, 8928, 9137, 10017, 10826, 11317, 10744, 9713, 9938, 9161, 8927,
    7750, 6981, 8038, 8422, 8714,  9512,  10120, 9823,  8743, 9129, 8710, 8680,
    8162, 7306, 8124, 7870, 9387,  9556,  10093, 9620,  8285, 8466, 8160, 8034,
    7717, 7461, 7767, 7925, 8623,  8945,  10078, 9179,  8037, 8488, 7874, 8647,
    7792, 6957, 7726, 8106, 8890,  9299,  10625, 9302,  8314, 8850, 8265, 8796,
    7836, 6892, 7791, 8192, 9115,  9434,  10484, 9827,  9110, 9070, 8633, 9240};

constexpr double kNile[] = {
    1120, 1160, 963, 1210, 1160, 1160, 813,  1230, 1370, 1140, 995,  935,  1110, 994,  1020,
    960,  1180, 799, 958,  1140, 1100, 1210, 1150, 1250, 1260, 1220, 1030, 1100, 774,  840,
    874,  694,  940, 833,  701,  916,  692,  1020, 1050, 969,  831,  726,  456,  824,  702,
    1120, 1100, 832, 764,  821,  768,  845,  864,  862,  698,  845,  744,  796,  1040, 759,
    781,  865,  845, 944,  984,  897,  822,  1010, 771,  676,  649,  846,  812,  742,  801,
    1040, 860,  874, 848,  890,  744,  749,  838,  1050, 918,  986,  797,  923,  975,  815,
    1020, 906,  901, 1170, 912,  746,  919,  718,  714,  740};

constexpr double kWwwUsage[] = {
    88,  84,  85,  85,  84,  85,  83,  85,  88,  89,  91,  99,  104, 112, 126, 138, 146,
    151, 150, 148, 147, 149, 143, 132, 131, 139, 147, 150, 148, 145, 140, 134, 131, 131,
    129, 126, 126, 132, 137, 140, 142, 150, 159, 167, 170, 171, 172, 172, 174, 175, 172,
    172, 174, 174, 169, 165, 156, 142, 131, 121, 112, 104, 102, 99,  99,  95,  88,  84,
    84,  87,  89,  88,  85,  86,  89,  91,  91,  94,  101, 110, 121, 135, 145, 149, 156,
    165, 171, 175, 177, 182, 193, 204, 208, 210, 215, 222, 228, 226, 222, 220};

constexpr double kUkGas[] = {
    160.1, 129.7, 84.8,  120.1, 160.1, 124.9, 84.8,  116.9, 169.7,  140.9, 89.7,  123.3,
    187.3, 144.1, 92.9,  120.1, 176.1, 147.3, 89.7,  123.3, 185.7,  155.3, 99.3,  131.3,
    200.1, 161.7, 102.5, 136.1, 204.9, 176.1, 112.1, 140.9, 227.3,  195.3, 115.3, 142.5,
    244.9, 214.5, 118.5, 153.7, 244.9, 216.1, 188.9, 142.5, 301,    196.9, 136.1, 267.3,
    317,   230.5, 152.1, 336.2, 371.4, 240.1, 158.5, 355.4, 449.9,  286.6, 179.3, 403.4,
    491.5, 321.8, 177.7, 409.8, 593.9, 329.8, 176.1, 483.5, 584.3,  395.4, 187.3, 485.1,
    669.2, 421,   216.1, 509.1, 827.7, 467.5, 209.7, 542.7, 840.5,  414.6, 217.7, 670.8,
    848.5, 437,   209.7, 701.2, 925.3, 443.4, 214.5, 683.6, 917.3,  515.5, 224.1, 694.8,
    989.4, 477.1, 233.7, 730,   1087,  534.7, 281.8, 787.6, 1163.9, 613.1, 347.4, 782.8};

struct RReference {
  const char* name;
  std::span<const double> y;
  int period;
  const char* model;
  double aicc;
  double mean[3];
  double sd[3];
  double mean_tolerance;  // Relative.
  double sd_tolerance;    // Relative; ETS(M,*,M) sd is our approximation of R's class3.
};

// R 4.x, forecast 8.20: f <- ets(y); f$aicc; forecast(f, h = 3, level = 80), sd from
// (upper - mean) / qnorm(0.9). For ETS(M,Ad,M) R's mean (class3) forecasts the level as
// l + b where the model says l + phi b, hence the looser mean tolerance there; its
// point forecast at h = 1 (etsforecast: 441.7692144) is ours to 7 digits.
const RReference kRReference[] = {
    {"AirPassengers",
     kAirPassengers,
     12,
     "ETS(M,Ad,M)",
     1400.638432,
     {441.8018473, 434.1186201, 496.6300468},
     {17.30417963, 21.03060711, 28.09168568},
     5e-4,
     0.01},
    {"USAccDeaths",
     kUsAccDeaths,
     12,
     "ETS(A,N,A)",
     1148.716099,
     {8397.496909, 7599.220613, 8396.594687},
     {292.6907178, 340.5211081, 382.4152113},
     1e-6,
     1e-4},
    {"Nile",
     kNile,
     1,
     "ETS(M,N,N)",
     1458.551916,
     {838.8751613, 838.8751613, 838.8751613},
     {129.8416615, 131.3566503, 132.8551821},
     1e-6,
     1e-4},
    {"WWWusage",
     kWwwUsage,
     1,
     "ETS(A,Ad,N)",
     718.6342062,
     {218.3663349, 217.0350687, 215.9501425},
     {3.496339123, 7.236483943, 11.277910566},
     1e-6,
     1e-4},
    {"UKgas",
     kUkGas,
     4,
     "ETS(M,A,M)",
     1256.558294,
     {1258.8236182, 652.6178333, 357.2009531},
     {146.93009732, 76.31143784, 41.93021638},
     1e-6,
     0.01},
};

TEST(EtsTest, MatchesRForecastEtsOnClassicDatasets) {
  for (const RReference& r : kRReference) {
    SCOPED_TRACE(r.name);
    Result<EtsFit> fit = FitEtsAuto(r.y, r.period, EtsOptions{});
    ASSERT_TRUE(fit.ok()) << fit.status().ToString();
    EXPECT_EQ(fit->spec.ToString(), r.model);
    EXPECT_NEAR(fit->aicc, r.aicc, 0.01);
    const std::vector<double> mean = EtsForecastMean(*fit, 3);
    const std::vector<double> sd = EtsForecastSd(*fit, 3);
    for (int h = 0; h < 3; ++h) {
      EXPECT_NEAR(mean[h], r.mean[h], r.mean_tolerance * r.mean[h]) << "h=" << h + 1;
      EXPECT_NEAR(sd[h], r.sd[h], r.sd_tolerance * r.sd[h]) << "h=" << h + 1;
    }
  }
}

// Every candidate's AICc on AirPassengers, from ets(AirPassengers, model = ..., damped = ...).
TEST(EtsTest, MatchesRAiccForEveryCandidate) {
  const struct {
    const char* model;
    double aicc;
  } kCases[] = {{"ANN", 1733.958184},  {"ANA", 1568.609078}, {"AAN", 1737.729388},
                {"AAdN", 1740.205275}, {"AAA", 1570.728838}, {"AAdA", 1576.702891},
                {"MNN", 1674.07169},   {"MNA", 1584.542307}, {"MNM", 1465.064394},
                {"MAN", 1674.229937},  {"MAdN", 1679.43659}, {"MAA", 1575.323963},
                {"MAdA", 1588.681944}, {"MAM", 1403.664381}, {"MAdM", 1400.638432}};
  for (const auto& c : kCases) {
    Result<EtsSpec> spec = ParseEtsSpec(c.model);
    ASSERT_TRUE(spec.ok());
    Result<EtsFit> fit = FitEts(kAirPassengers, 12, *spec);
    ASSERT_TRUE(fit.ok()) << c.model << ": " << fit.status().ToString();
    EXPECT_NEAR(fit->aicc, c.aicc, 0.05) << c.model;
  }
}

TEST(EtsTest, SpecToStringAndParse) {
  const EtsSpec spec{ErrorType::kMultiplicative, TrendType::kAdditiveDamped,
                     SeasonType::kMultiplicative};
  EXPECT_EQ(spec.ToString(), "ETS(M,Ad,M)");
  for (const char* text : {"MAdM", "ETS(M,Ad,M)", "M,Ad,M"}) {
    Result<EtsSpec> parsed = ParseEtsSpec(text);
    ASSERT_TRUE(parsed.ok()) << text;
    EXPECT_EQ(*parsed, spec) << text;
  }
  EXPECT_EQ(ParseEtsSpec("ANN")->ToString(), "ETS(A,N,N)");
  for (const char* bad : {"", "AN", "XNN", "AMN", "AAdX", "ETS(A,N)", "AAddN"}) {
    EXPECT_FALSE(ParseEtsSpec(bad).ok()) << bad;
  }
}

TEST(EtsTest, PureAdditiveSeasonalSignalIsForecastExactly) {
  const double pattern[12] = {3, 5, 9, 4, -2, -6, -8, -5, 0, 2, 1, -3};
  const auto signal = [&](int t) { return 50 + pattern[t % 12]; };
  std::vector<double> y(120);
  for (int t = 0; t < 120; ++t) y[t] = signal(t);
  const int periods[] = {12};
  Result<ModelForecast> f = EtsModel().Forecast(y, periods, 24);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_THAT(f->description, HasSubstr(",A)"));
  for (int h = 0; h < 24; ++h) EXPECT_NEAR(f->mean[h], signal(120 + h), 1e-6) << "h=" << h + 1;
}

TEST(EtsTest, LinearTrendExtrapolates) {
  const std::vector<double> e = Noise(200, 0.5, 7);
  std::vector<double> y(200);
  for (int t = 0; t < 200; ++t) y[t] = 20 + 0.8 * t + e[t];
  const auto line = [](int t) { return 20 + 0.8 * t; };
  Result<ModelForecast> f = EtsModel().Forecast(y, {}, 30);
  ASSERT_TRUE(f.ok());
  EXPECT_THAT(f->description, HasSubstr(",A"));  // A trend, damped or not.
  for (int h = 0; h < 30; ++h) {
    EXPECT_NEAR(f->mean[h], line(200 + h), 0.01 * line(200 + h)) << "h=" << h + 1;
  }
  // The undamped model, fixed, follows the line to the end.
  EtsOptions holt;
  holt.spec = EtsSpec{ErrorType::kAdditive, TrendType::kAdditive, SeasonType::kNone};
  Result<ModelForecast> g = EtsModel(holt).Forecast(y, {}, 100);
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->description, "ETS(A,A,N)");
  EXPECT_NEAR(g->mean[99], line(299), 0.01 * line(299));
}

TEST(EtsTest, DampedTrendFlattens) {
  const std::vector<double> e = Noise(150, 1.0, 11);
  std::vector<double> y(150);
  for (int t = 0; t < 150; ++t) y[t] = 100 + 40 * (1 - std::exp(-t / 40.0)) + e[t];
  Result<EtsFit> fit =
      FitEts(y, 1, EtsSpec{ErrorType::kAdditive, TrendType::kAdditiveDamped, SeasonType::kNone});
  ASSERT_TRUE(fit.ok());
  const double phi = fit->params.phi;
  EXPECT_GE(phi, 0.8);
  EXPECT_LE(phi, 0.98);
  const std::vector<double> mean = EtsForecastMean(*fit, 400);
  ASSERT_NE(fit->last.trend, 0.0);
  for (int h = 1; h < 20; ++h) {
    const double ratio = (mean[h + 1] - mean[h]) / (mean[h] - mean[h - 1]);
    EXPECT_NEAR(ratio, phi, 1e-6) << "h=" << h + 1;
  }
  // The limit: l + b phi / (1 - phi).
  const double limit = fit->last.level + fit->last.trend * phi / (1 - phi);
  EXPECT_NEAR(mean[399], limit, 1e-6 * std::fabs(limit));
}

TEST(EtsTest, SelectsMultiplicativeSeasonOnMultiplicativeData) {
  const std::vector<double> e = Noise(168, 0.02, 3);
  std::vector<double> y(168);
  for (int t = 0; t < 168; ++t) {
    y[t] = (100 + 2 * t) * (1 + 0.35 * std::sin(2 * std::numbers::pi * t / 12)) * (1 + e[t]);
  }
  Result<EtsFit> fit = FitEtsAuto(y, 12, EtsOptions{});
  ASSERT_TRUE(fit.ok());
  EXPECT_EQ(fit->spec.season, SeasonType::kMultiplicative) << fit->spec.ToString();
  EXPECT_EQ(fit->spec.error, ErrorType::kMultiplicative) << fit->spec.ToString();
}

TEST(EtsTest, AiccPicksAnnForWhiteNoise) {
  for (unsigned seed : {1u, 2u, 3u}) {
    const std::vector<double> e = Noise(300, 1.0, seed);
    std::vector<double> y(300);
    for (int t = 0; t < 300; ++t) y[t] = 10 + e[t];
    EtsOptions additive;
    additive.allow_multiplicative_error = false;
    Result<EtsFit> fit = FitEtsAuto(y, 12, additive);
    ASSERT_TRUE(fit.ok());
    EXPECT_EQ(fit->spec.ToString(), "ETS(A,N,N)") << "seed " << seed;
    EXPECT_NEAR(std::sqrt(fit->sigma2), 1.0, 0.15);
  }
}

TEST(EtsTest, SdGrowsWithHorizon) {
  const std::vector<double> e = Noise(240, 2.0, 5);
  std::vector<double> y(240);
  double level = 50;
  for (int t = 0; t < 240; ++t) {
    level += 0.3 * e[t];
    y[t] = level + 5 * std::sin(2 * std::numbers::pi * t / 24) + e[t];
  }
  const int periods[] = {24};
  Result<ModelForecast> f = EtsModel().Forecast(y, periods, 48);
  ASSERT_TRUE(f.ok());
  ASSERT_EQ(f->sd.size(), 48u);
  EXPECT_GT(f->sd[0], 0);
  for (int h = 1; h < 48; ++h) EXPECT_GE(f->sd[h], f->sd[h - 1]) << "h=" << h + 1;
  EXPECT_GT(f->sd[47], 1.5 * f->sd[0]);
}

TEST(EtsTest, ConstantSeriesGivesFlatForecastWithoutSearch) {
  const std::vector<double> y(50, 7.5);
  Result<ModelForecast> f = EtsModel().Forecast(y, {}, 10);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->description, "ETS(A,N,N)");
  for (double m : f->mean) EXPECT_DOUBLE_EQ(m, 7.5);
  for (double s : f->sd) EXPECT_EQ(s, 0.0);
  // A fixed model on a constant series fits too (the likelihood is floored, as in R).
  Result<EtsFit> fit =
      FitEts(y, 1, EtsSpec{ErrorType::kMultiplicative, TrendType::kAdditive, SeasonType::kNone});
  ASSERT_TRUE(fit.ok()) << fit.status().ToString();
  EXPECT_NEAR(EtsForecastMean(*fit, 5)[4], 7.5, 1e-6);
  // Down to one point, through the low-level API.
  for (int n : {1, 2}) {
    Result<EtsFit> tiny = FitEtsAuto(std::vector<double>(n, 3.0), 1, EtsOptions{});
    ASSERT_TRUE(tiny.ok()) << n;
    EXPECT_EQ(tiny->sigma2, 0.0);
    EXPECT_EQ(EtsForecastMean(*tiny, 2), std::vector<double>(2, 3.0));
  }
}

TEST(EtsTest, TinyHistoriesGiveFlatForecastWithNote) {
  for (const std::vector<double>& y :
       {std::vector<double>{4}, std::vector<double>{4, 6}, std::vector<double>{4, 6, 5}}) {
    Result<ModelForecast> f = EtsModel().Forecast(y, {}, 3);
    ASSERT_TRUE(f.ok()) << y.size();
    EXPECT_EQ(f->mean, std::vector<double>(3, y.back()));
    EXPECT_TRUE(f->sd.empty());
    EXPECT_FALSE(f->notes.empty());
  }
  // Four points are enough for simple exponential smoothing (chosen by AIC: AICc is
  // infinite at n = parameters + 2).
  Result<ModelForecast> f = EtsModel().Forecast(std::vector<double>{4, 6, 5, 7}, {}, 2);
  ASSERT_TRUE(f.ok());
  EXPECT_THAT(f->description, HasSubstr(",N,N)"));
  EXPECT_EQ(f->sd.size(), 2u);
}

TEST(EtsTest, BadInputIsRejected) {
  const std::vector<double> y = {1, 2, std::nan(""), 4, 5};
  EXPECT_EQ(EtsModel().Forecast(y, {}, 3).status().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(FitEtsAuto(y, 1, EtsOptions{}).ok());
  EXPECT_FALSE(EtsModel().Forecast(std::vector<double>{}, {}, 3).ok());
  EXPECT_FALSE(EtsModel().Forecast(std::vector<double>{1, 2, 3}, {}, 0).ok());
  EXPECT_FALSE(FitEts(std::vector<double>{1, 2, 3}, 1, EtsSpec{}).ok());  // Too few.
  EXPECT_FALSE(FitEts(kAirPassengers, 1, *ParseEtsSpec("ANA")).ok());     // No period.
}

TEST(EtsTest, MultiplicativeModelOnNonPositiveData) {
  std::vector<double> y(60);
  const std::vector<double> e = Noise(60, 1.0, 9);
  for (int t = 0; t < 60; ++t) y[t] = 2 * std::sin(t / 3.0) + e[t];
  const EtsSpec mnm{ErrorType::kMultiplicative, TrendType::kNone, SeasonType::kMultiplicative};
  Result<EtsFit> direct = FitEts(y, 12, mnm);
  EXPECT_EQ(direct.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(direct.status().message(), HasSubstr("data > 0"));
  // The model steps down to the additive analogue and says so.
  EtsOptions options;
  options.spec = mnm;
  const int periods[] = {12};
  Result<ModelForecast> f = EtsModel(options).Forecast(y, periods, 12);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->description, "ETS(A,N,A)");
  EXPECT_TRUE(AnyNoteHas(*f, "ETS(M,N,M)"));
  // Automatic selection never tries a multiplicative model here.
  Result<EtsFit> fit = FitEtsAuto(y, 12, EtsOptions{});
  ASSERT_TRUE(fit.ok());
  EXPECT_FALSE(fit->spec.multiplicative());
}

TEST(EtsTest, OptionsShapeTheCandidateSet) {
  // AirPassengers: R's choice is ETS(M,Ad,M).
  EtsOptions no_mult;
  no_mult.allow_multiplicative_error = false;
  Result<EtsFit> a = FitEtsAuto(kAirPassengers, 12, no_mult);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->spec.error, ErrorType::kAdditive);
  EXPECT_NE(a->spec.season, SeasonType::kMultiplicative);  // `restrict`.
  EtsOptions no_season;
  no_season.allow_seasonal = false;
  EXPECT_FALSE(FitEtsAuto(kAirPassengers, 12, no_season)->spec.seasonal());
  EtsOptions no_damping;
  no_damping.allow_damped = false;
  EXPECT_EQ(FitEtsAuto(kAirPassengers, 12, no_damping)->spec.ToString(), "ETS(M,A,M)");
  EtsOptions short_max;
  short_max.max_period = 6;
  EXPECT_FALSE(FitEtsAuto(kAirPassengers, 12, short_max)->spec.seasonal());
  EtsOptions forbidden;
  forbidden.spec = *ParseEtsSpec("ANM");
  EXPECT_EQ(FitEtsAuto(kAirPassengers, 12, forbidden).status().code(),
            StatusCode::kInvalidArgument);
  forbidden.restrict = false;
  EXPECT_TRUE(FitEtsAuto(kAirPassengers, 12, forbidden).ok());
}

TEST(EtsTest, PeriodChoiceAndShortHistoryNotes) {
  const std::vector<double> e = Noise(400, 1.0, 13);
  std::vector<double> y(400);
  for (int t = 0; t < 400; ++t) y[t] = 30 + 8 * std::sin(2 * std::numbers::pi * t / 24) + e[t];
  // 168 is MSTL's business; 24 is used.
  const int periods[] = {24, 168};
  Result<ModelForecast> f = EtsModel().Forecast(y, periods, 24);
  ASSERT_TRUE(f.ok());
  EXPECT_THAT(f->description, HasSubstr(",A)"));
  EXPECT_TRUE(AnyNoteHas(*f, "period 168 ignored"));
  // Too short for two seasons of 24: non-seasonal, with a note.
  const std::span<const double> head(y.data(), 40);
  Result<ModelForecast> g = EtsModel().Forecast(head, periods, 24);
  ASSERT_TRUE(g.ok());
  EXPECT_THAT(g->description, HasSubstr(",N)"));
  EXPECT_TRUE(AnyNoteHas(*g, "period 24 ignored"));
}

TEST(EtsTest, FixedSpecStepsDownOnShortHistory) {
  EtsOptions options;
  options.spec = *ParseEtsSpec("AAdA");
  const std::vector<double> y = {5, 7, 6, 8, 7, 9, 8, 10};
  const int periods[] = {4};
  Result<ModelForecast> f = EtsModel(options).Forecast(y, periods, 4);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->mean.size(), 4u);
  EXPECT_FALSE(f->notes.empty());
  EXPECT_NE(f->description, "ETS(A,Ad,A)");
}

// forecast's etscalc(), transcribed: the m seasonal states shift every step, and every
// operation happens in R's order.
ets_internal::RecursionResult ReferenceRecursion(std::span<const double> y, const EtsSpec& spec,
                                                 int m, const EtsParams& p, EtsStates& x) {
  const bool trend = spec.has_trend();
  const SeasonType season = spec.season;
  double l = x.level, b = x.trend, sse = 0, log_sum = 0;
  std::vector<double> s = x.season;
  for (const double yi : y) {
    const double phib = trend ? p.phi * b : 0;
    const double q = l + phib;
    double f = q;
    if (season == SeasonType::kAdditive) f = q + s[m - 1];
    if (season == SeasonType::kMultiplicative) f = q * s[m - 1];
    const double e = spec.error == ErrorType::kAdditive ? yi - f : (yi - f) / f;
    sse += e * e;
    log_sum += std::log(std::fabs(f));
    double target = yi;
    if (season == SeasonType::kAdditive) target = yi - s[m - 1];
    if (season == SeasonType::kMultiplicative) target = yi / s[m - 1];
    const double l_new = q + p.alpha * (target - q);
    if (trend) b = phib + (p.beta / p.alpha) * ((l_new - l) - phib);
    if (season != SeasonType::kNone) {
      const double t = season == SeasonType::kAdditive ? yi - q : yi / q;
      const double s_new = s[m - 1] + p.gamma * (t - s[m - 1]);
      for (int j = m - 1; j > 0; --j) s[j] = s[j - 1];
      s[0] = s_new;
    }
    l = l_new;
  }
  x.level = l;
  x.trend = b;
  x.season = s;
  return {.sse = sse, .sum_log_abs_yhat = log_sum, .ok = true};
}

TEST(EtsTest, FastRecursionAgreesWithRTranscription) {
  const int m = 7;
  const std::vector<double> e = Noise(300, 1.0, 17);
  std::vector<double> y(300);
  for (int t = 0; t < 300; ++t)
    y[t] = 40 + 0.05 * t + 6 * std::sin(2 * std::numbers::pi * t / m) + e[t];
  std::mt19937 rng(23);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (ErrorType error : {ErrorType::kAdditive, ErrorType::kMultiplicative}) {
    for (TrendType trend : {TrendType::kNone, TrendType::kAdditive, TrendType::kAdditiveDamped}) {
      for (SeasonType season :
           {SeasonType::kNone, SeasonType::kAdditive, SeasonType::kMultiplicative}) {
        const EtsSpec spec{error, trend, season};
        SCOPED_TRACE(spec.ToString());
        EtsParams p;
        p.alpha = 0.05 + 0.9 * unit(rng);
        if (spec.has_trend()) p.beta = p.alpha * unit(rng);
        if (spec.seasonal()) p.gamma = (1 - p.alpha) * unit(rng);
        if (spec.damped()) p.phi = 0.8 + 0.18 * unit(rng);
        EtsStates x{.level = 40, .trend = spec.has_trend() ? 0.1 : 0.0, .season = {}};
        for (int j = 0; j < (spec.seasonal() ? m : 0); ++j) {
          const double wave = std::sin(2 * std::numbers::pi * (m - 1 - j) / m);
          x.season.push_back(season == SeasonType::kAdditive ? 6 * wave : 1 + 0.15 * wave);
        }
        EtsStates fast = x, reference = x;
        std::vector<double> ring(m);
        const ets_internal::RecursionResult a =
            ets_internal::RunRecursion(y, spec, m, p, fast, ring);
        const ets_internal::RecursionResult b = ReferenceRecursion(y, spec, m, p, reference);
        ASSERT_TRUE(a.ok);
        EXPECT_NEAR(a.sse, b.sse, 1e-10 * b.sse);
        if (error == ErrorType::kMultiplicative) {
          EXPECT_NEAR(a.sum_log_abs_yhat, b.sum_log_abs_yhat, 1e-9);
        }
        EXPECT_NEAR(fast.level, reference.level, 1e-9 * std::fabs(reference.level));
        EXPECT_NEAR(fast.trend, reference.trend, 1e-9);
        for (size_t j = 0; j < x.season.size(); ++j) {
          EXPECT_NEAR(fast.season[j], reference.season[j], 1e-9) << "s" << j + 1;
        }
      }
    }
  }
}

// Parameter sets and the verdict of forecast:::admissible() (polyroot) on them.
TEST(EtsTest, AdmissibilityAgreesWithRPolyroot) {
  const struct {
    int m;
    TrendType trend;
    EtsParams p;
    bool admissible;
  } kCases[] = {
      {12,
       TrendType::kAdditive,
       {0.453718629513681, 0.200031919872696, 0.451314209287257, 1},
       false},
      {7,
       TrendType::kAdditive,
       {0.713763240036415, 0.691234266301097, 0.230615219662364, 1},
       false},
      {24,
       TrendType::kAdditive,
       {0.99859801002196, 0.61311638139312, 0.00116793981385215, 1},
       false},
      {12,
       TrendType::kAdditive,
       {0.254461461955169, 0.117706273995329, 0.596264544916038, 1},
       false},
      {24,
       TrendType::kAdditiveDamped,
       {0.746648929966614, 0.0784784105999558, 0.219046933433463, 0.900288716992363},
       false},
      {24,
       TrendType::kAdditiveDamped,
       {0.631393944351794, 0.246354468649309, 0.254232038425859, 0.899882112168707},
       false},
      {4,
       TrendType::kAdditiveDamped,
       {0.738588419535849, 0.161026259915143, 0.238583119754401, 0.874744144724682},
       true},
      {2, TrendType::kNone, {0.89759672658802, 0, 0.0939643655022497, 1}, true},
      {4,
       TrendType::kAdditiveDamped,
       {0.0749941457246896, 0.0397709230422756, 0.880317961197531, 0.822008221545257},
       true},
      {24, TrendType::kNone, {0.497699702236801, 0, 0.360488228530775, 1}, true},
  };
  for (const auto& c : kCases) {
    const EtsSpec spec{ErrorType::kAdditive, c.trend, SeasonType::kAdditive};
    EXPECT_EQ(ets_internal::Admissible(spec, c.m, c.p), c.admissible)
        << spec.ToString() << " m=" << c.m << " alpha=" << c.p.alpha << " beta=" << c.p.beta
        << " gamma=" << c.p.gamma << " phi=" << c.p.phi;
  }
}

// Not a benchmark: a guard against order-of-magnitude regressions (an allocation or a log()
// per step, a lost template specialisation). CPU time on one core of a 2-vCPU EPYC VM in a
// RelWithDebInfo build: ~4 ms and ~90 ms; the bounds leave room for sanitizers.
TEST(EtsTest, LowLevelApiForNonSeasonalUse) {
  // MSTL's use: a non-seasonal model on an adjusted series; the period is ignored.
  const std::vector<double> e = Noise(500, 1.0, 29);
  std::vector<double> y(500);
  for (int t = 0; t < 500; ++t) y[t] = 200 + 0.1 * t + e[t];
  EtsOptions options;
  options.allow_seasonal = false;
  Result<EtsFit> fit = FitEtsAuto(y, 24, options);
  ASSERT_TRUE(fit.ok());
  EXPECT_FALSE(fit->spec.seasonal());
  EXPECT_EQ(fit->period, 1);
  EXPECT_EQ(fit->n, 500);
  EXPECT_GT(fit->aicc, fit->aic);
  EXPECT_GT(fit->bic, fit->aic);
  EXPECT_EQ(fit->num_params,
            1 + fit->spec.has_trend() + fit->spec.damped() + 1 + fit->spec.has_trend() + 1);
  EXPECT_EQ(EtsForecastMean(*fit, 12).size(), 12u);
  EXPECT_EQ(EtsForecastSd(*fit, 12).size(), 12u);
}

}  // namespace
}  // namespace prescient::forecast
