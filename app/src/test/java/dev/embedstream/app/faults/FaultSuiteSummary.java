package dev.embedstream.app.faults;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Ends a run that included the fault suite with the plain line {@code N passed, N failed}, also in
 * {@code target/fault-suite-summary.txt}, which {@code make test} prints last.
 */
public final class FaultSuiteSummary implements TestExecutionListener {

    private final AtomicInteger passed = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (test.isTest() && test.getSource().orElse(null) instanceof MethodSource m
                && m.getClassName().startsWith(FaultSuiteSummary.class.getPackageName() + ".")) {
            (result.getStatus() == TestExecutionResult.Status.SUCCESSFUL ? passed : failed).incrementAndGet();
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        if (passed.get() + failed.get() > 0) {
            String line = passed.get() + " passed, " + failed.get() + " failed";
            System.out.println("fault suite: " + line);
            // test output goes to report files; `make test` prints this one last
            try {
                java.nio.file.Files.writeString(java.nio.file.Path.of("target", "fault-suite-summary.txt"),
                        "fault suite: " + line + System.lineSeparator());
            } catch (java.io.IOException e) {
                System.err.println("fault suite summary not written: " + e);
            }
        }
    }
}
