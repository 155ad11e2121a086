/**
 * The CDK app (`npx cdk synth`, `npx cdk deploy --all`): reads the deployment
 * settings from context and adds the Hromada stacks. See docs/deploy.md.
 */
import { App } from 'aws-cdk-lib';
import { readDeploymentConfig } from './config';
import { addHromadaStacks } from './hromada';

const app = new App();
addHromadaStacks(app, readDeploymentConfig(app.node));
app.synth();
