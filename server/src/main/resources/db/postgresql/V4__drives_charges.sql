-- fleetlog PostgreSQL schema, version 4 (issue 19): drives and charging sessions derived from the stored
-- frames (io.fleetlog.server.trips; docs/drives.md). Keyed by (vin, start_ms); a re-derivation replaces
-- the sessions of a time window in one transaction. Plain columns so Grafana reads them with plain SQL;
-- start_time/end_time are the same instants as timestamptz. NULL = could not be derived.
CREATE TABLE drives (
    vin               text             NOT NULL,
    start_ms          bigint           NOT NULL,   -- capture time of the first frame, Unix epoch ms
    end_ms            bigint           NOT NULL,   -- capture time of the last frame
    start_lat         double precision,
    start_lon         double precision,
    end_lat           double precision,
    end_lon           double precision,
    start_odometer_mi double precision,
    end_odometer_mi   double precision,
    energy_kwh        double precision,            -- battery energy used, kWh (negative: gained, downhill)
    energy_source     text             NOT NULL,   -- power | soc | power+soc | none
    max_speed_mph     double precision,
    mean_speed_mph    double precision,            -- distance / duration
    elevation_gain_m  double precision,
    elevation_loss_m  double precision,
    start_soc         double precision,            -- %
    end_soc           double precision,
    backfill_fraction double precision,            -- share of frames captured while the link was down
    distance_mi       double precision,
    distance_km       double precision,
    duration_s        double precision,
    wh_per_mi         double precision,
    wh_per_km         double precision,
    start_time        timestamptz GENERATED ALWAYS AS (to_timestamp(start_ms / 1000.0)) STORED,
    end_time          timestamptz GENERATED ALWAYS AS (to_timestamp(end_ms / 1000.0)) STORED,
    PRIMARY KEY (vin, start_ms)
);

CREATE TABLE charges (
    vin               text             NOT NULL,
    start_ms          bigint           NOT NULL,
    end_ms            bigint           NOT NULL,
    lat               double precision,
    lon               double precision,
    energy_added_kwh  double precision,            -- energy the charger delivered, kWh
    soc_from          double precision,
    soc_to            double precision,
    peak_power_kw     double precision,
    mean_power_kw     double precision,
    kind              text             NOT NULL,   -- AC | DC
    cost              double precision,            -- NULL without a tariff
    currency          text,
    backfill_fraction double precision,
    duration_s        double precision,
    start_time        timestamptz GENERATED ALWAYS AS (to_timestamp(start_ms / 1000.0)) STORED,
    end_time          timestamptz GENERATED ALWAYS AS (to_timestamp(end_ms / 1000.0)) STORED,
    PRIMARY KEY (vin, start_ms)
);
