use std::process::ExitCode;

use clap::Parser;
use server::config::{Cli, Command, Config};

// Rendering a page makes many small allocations from several threads at once; glibc's
// allocator spent a sixth of the home feed's CPU time on them and their locks.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::load(&cli.config, &cli.settings) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("cohort: configuration: {e}");
            return ExitCode::FAILURE;
        }
    };
    server::init_tracing(config.log_format);
    let outcome = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => server::startup::serve(config, cli.demo).await,
        Command::Seed { scale, seed } => match server::startup::build_state(&config).await {
            Ok(state) => server::seed::seed_command(&state.db, &scale, seed)
                .await
                .map(|m| println!("{m}")),
            Err(e) => Err(e),
        },
        Command::Backup { path } => match server::startup::build_state(&config).await {
            Ok(state) => server::backup::backup(&state.db, &config.blob_dir, &path)
                .await
                .map(|m| println!("{m}")),
            Err(e) => Err(e),
        },
        Command::CreateAdmin { email, name } => server::admin::create_admin(&config, &email, &name)
            .await
            .map(|m| println!("{m}")),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cohort: {e}");
            ExitCode::FAILURE
        }
    }
}
