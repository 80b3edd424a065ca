package io.fleetlog.bench.peer;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A child JVM running one stack's vehicles, so the crash scenario can SIGKILL it.
 *
 * <p>Arguments: {@code <stack> <target> <stateDir> <samplesPerVehicle> <seed> <startEpochMs>
 * <vin,vin,…> <capture|resume>}. Protocol on stdout/stdin, one line each: the child prints
 * {@code READY} once its vehicles are up; in {@code capture} mode it waits for {@code CAPTURE} on
 * stdin, captures the whole workload and prints {@code CAPTURED <accepted> <refused>}; in both modes
 * it then keeps delivering until stdin says {@code EXIT} (or closes) or it is killed.
 */
public final class EdgeProcess {

    private EdgeProcess() {}

    static List<String> args(String stack, String target, Path stateDir, Workload w) {
        return new ArrayList<>(List.of(
                stack,
                target,
                stateDir.toAbsolutePath().toString(),
                Long.toString(w.samplesPerVehicle()),
                Long.toString(w.seed()),
                Long.toString(w.startEpochMs()),
                String.join(",", w.vins())));
    }

    public static void main(String[] args) throws Exception {
        PeerComparison.quietLogs();
        if (args.length != 8) {
            System.err.println("usage: EdgeProcess <stack> <target> <stateDir> <samplesPerVehicle> <seed>"
                    + " <startEpochMs> <vins> <capture|resume>, got " + Arrays.toString(args));
            System.exit(2);
        }
        Path stateDir = Path.of(args[2]);
        Workload w = new Workload(
                List.of(args[6].split(",")), Long.parseLong(args[3]), Long.parseLong(args[5]), Long.parseLong(args[4]));
        boolean capture = args[7].equals("capture");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (Capture vehicles = start(args[0], args[1], stateDir, w)) {
            System.out.println("READY");
            System.out.flush();
            if (capture && "CAPTURE".equals(in.readLine())) {
                vehicles.begin();
                while (!vehicles.finished()) {
                    Thread.sleep(5);
                }
                System.out.println("CAPTURED " + vehicles.accepted() + " " + vehicles.refused());
                System.out.flush();
            }
            String line;
            while ((line = in.readLine()) != null && !line.equals("EXIT")) {
                // Keep delivering until told to exit.
            }
        }
    }

    private static Capture start(String stack, String target, Path stateDir, Workload w) throws Exception {
        return switch (stack) {
            case "mqtt" -> MqttStack.childEdge(target, stateDir, w);
            case "fleetlog" -> FleetlogStack.childEdge(target, stateDir, w);
            default -> throw new IllegalArgumentException("unknown stack '" + stack + "' (known: mqtt, fleetlog)");
        };
    }
}
